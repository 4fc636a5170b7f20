package dev.agentgateway.core.stream;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;

import java.math.BigDecimal;

/**
 * What the subscriber of a governed stream receives: the provider's chunks as they arrive, the
 * tools a tool-calling run executes between its turns, and, last, the settled answer. A stream
 * that fails or is cut off ends with its typed error after the last event instead of
 * {@link Completed}.
 */
public sealed interface StreamEvent permits StreamEvent.Output, StreamEvent.ToolStarted, StreamEvent.ToolFinished,
        StreamEvent.Completed {

    /**
     * A chunk of the model's answer.
     *
     * @param turn the provider call of the run it belongs to, from 1
     */
    record Output(LlmChunk chunk, int turn) implements StreamEvent {
    }

    /** A tool the model asked for starts running (after the access rules allowed it). */
    record ToolStarted(ToolCall call, int turn) implements StreamEvent {
    }

    /** A tool finished, failed or was not run (unknown, bad arguments, time-out): what was sent back to the model. */
    record ToolFinished(ToolCall call, String result, int turn) implements StreamEvent {
    }

    /**
     * The answer, settled: the last provider call's response (cost, tokens and finish reason as the
     * history has it) and the totals of every provider call the stream made.
     *
     * @param steps provider calls the stream made (1, or one per turn of a tool-calling run)
     */
    record Completed(LlmResponse response, int steps, BigDecimal totalCost, long inputTokens, long outputTokens)
            implements StreamEvent {

        /** The end of a stream of one provider call. */
        public static Completed of(LlmResponse response) {
            return new Completed(response, 1, response.cost() == null ? BigDecimal.ZERO : response.cost(),
                    response.inputTokens(), response.outputTokens());
        }
    }

    /** The text of this event when it is a text chunk, else {@code null}. */
    default String text() {
        return this instanceof Output output && output.chunk() instanceof LlmChunk.Text text ? text.delta() : null;
    }
}
