package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One piece of a streamed answer, as {@link LlmClient#stream} publishes it. A stream is any
 * sequence of these, in the order the provider sent them; {@link StreamAssembler} folds them into
 * the {@link LlmResponse} a blocking call would have returned.
 */
public sealed interface LlmChunk
        permits LlmChunk.Text, LlmChunk.ToolCallDelta, LlmChunk.Usage, LlmChunk.Finish, LlmChunk.Model {

    /** Text the model produced, to append to what came before. */
    record Text(String delta) implements LlmChunk {
        public Text {
            Objects.requireNonNull(delta, "delta");
        }
    }

    /**
     * A piece of tool call number {@code index} (0 for the first call of the answer). Providers send
     * the id and name once, usually with the first piece, and the JSON arguments as fragments to
     * concatenate; {@code id} and {@code name} are {@code null} on the other pieces.
     */
    record ToolCallDelta(int index, String id, String name, String argumentsDelta) implements LlmChunk {
        public ToolCallDelta {
            if (index < 0) {
                throw new IllegalArgumentException("a tool call's index must not be negative, was " + index);
            }
            argumentsDelta = argumentsDelta == null ? "" : argumentsDelta;
        }
    }

    /**
     * Token counts reported by the provider, as of this chunk: a later usage chunk never takes back
     * tokens an earlier one reported (Anthropic reports input at the start and output at the end), so
     * each count is the largest reported. {@code cost} is in USD, for clients that price themselves
     * (mocks); {@code null} lets the gateway price the tokens.
     */
    record Usage(long inputTokens, long outputTokens, TokenDetails details, BigDecimal cost) implements LlmChunk {
        public Usage {
            if (inputTokens < 0 || outputTokens < 0) {
                throw new IllegalArgumentException("token counts must not be negative");
            }
            details = details == null ? TokenDetails.NONE : details;
        }
    }

    /** Why the model stopped: {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}… */
    record Finish(String reason) implements LlmChunk {
        public Finish {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The model that answers, as the provider names it (it may differ from the one asked for). */
    record Model(String model) implements LlmChunk {
        public Model {
            Objects.requireNonNull(model, "model");
        }
    }

    static Text text(String delta) {
        return new Text(delta);
    }

    static ToolCallDelta toolCall(int index, String id, String name, String argumentsDelta) {
        return new ToolCallDelta(index, id, name, argumentsDelta);
    }

    /** A further fragment of the arguments of tool call {@code index}. */
    static ToolCallDelta toolArguments(int index, String argumentsDelta) {
        return new ToolCallDelta(index, null, null, argumentsDelta);
    }

    static Usage usage(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, TokenDetails.NONE, null);
    }

    static Finish finish(String reason) {
        return new Finish(reason);
    }

    static Model model(String model) {
        return new Model(model);
    }
}
