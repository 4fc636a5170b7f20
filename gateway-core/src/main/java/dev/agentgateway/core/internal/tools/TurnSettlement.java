package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The results of one turn as they settle, from whichever thread: the first outcome of a call
 * wins (a tool that finishes as its time-out is declared is settled once), and each is
 * recorded and handed on under one lock, so concurrent checkpoints cannot lose each other's
 * results nor arrive after the turn is over.
 */
final class TurnSettlement {
    private final ToolTurnExecutor.TurnScope scope;
    private final Consumer<ToolCallRecord> recorder;
    private final BiConsumer<ToolCall, LlmMessage> onResult;
    private final Map<String, LlmMessage> results = new HashMap<>();
    private boolean closed;

    TurnSettlement(ToolTurnExecutor.TurnScope scope, Consumer<ToolCallRecord> recorder, BiConsumer<ToolCall, LlmMessage> onResult) {
        this.scope = scope;
        this.recorder = recorder;
        this.onResult = onResult;
    }

    synchronized void settle(ToolCall call, ToolCallOutcome outcome, String content, Instant at, long durationMs) {
        if (closed || results.containsKey(call.id())) {
            return;
        }
        LlmMessage result = LlmMessage.tool(call.id(), call.name(), content);
        results.put(call.id(), result);
        record(recorder, scope, call, outcome, content, at, durationMs);
        onResult.accept(call, result);
    }

    /** A tool that threw an Error: recorded, but no result, so a resumed run runs it again. */
    synchronized void fail(ToolCall call, String content, Instant at, long durationMs) {
        if (!closed && !results.containsKey(call.id())) {
            record(recorder, scope, call, ToolCallOutcome.ERROR, content, at, durationMs);
        }
    }

    /** Ends the turn: the results in the order of the calls, earlier ones included. */
    synchronized List<LlmMessage> close(List<ToolCall> calls, Map<String, String> completed) {
        closed = true;
        List<LlmMessage> ordered = new ArrayList<>(calls.size());
        for (ToolCall call : calls) {
            LlmMessage result = results.get(call.id());
            if (result != null) {
                ordered.add(result);
            } else if (completed.containsKey(call.id())) {
                ordered.add(LlmMessage.tool(call.id(), call.name(), completed.get(call.id())));
            }
        }
        return ordered;
    }

    /** One call's record, counted on the run's tally: the single place a tool call becomes history. */
    static void record(Consumer<ToolCallRecord> recorder, ToolTurnExecutor.TurnScope scope, ToolCall call,
                       ToolCallOutcome outcome, String result, Instant at, long durationMs) {
        scope.tally().toolCall();
        recorder.accept(new ToolCallRecord(at, scope.agentId(), scope.workflowId(), scope.tenant(), call.id(), call.name(),
                call.arguments(), outcome, result, durationMs));
    }
}
