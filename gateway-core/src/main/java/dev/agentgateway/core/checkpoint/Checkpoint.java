package dev.agentgateway.core.checkpoint;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of a workflow run after one step: taken after every call and, in a tool-calling
 * run, after every finished tool call.
 *
 * @param state                a snapshot of the state passed with the call, or an empty map
 * @param metrics              the gateway's metrics map at that moment
 * @param messages             the conversation so far, the assistant turn asking for tools included
 * @param pendingToolCalls     the tool calls of the current turn (empty between turns)
 * @param completedToolResults tool results already obtained in the current turn, by tool-call id
 * @param run                  how to resume the tool-calling run, or {@code null} for a plain call
 * @param finished             true once the run has its final answer
 */
public record Checkpoint(String workflowId, int step, String agentId, Instant timestamp, Map<String, Object> state,
                         Map<String, Object> metrics, List<LlmMessage> messages, List<ToolCall> pendingToolCalls,
                         Map<String, String> completedToolResults, ResumableRun run, boolean finished) {

    public Checkpoint {
        state = state == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(state));
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        messages = messages == null ? List.of() : List.copyOf(messages);
        pendingToolCalls = pendingToolCalls == null ? List.of() : List.copyOf(pendingToolCalls);
        completedToolResults = completedToolResults == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(completedToolResults));
    }

    /**
     * True when the run is paused in the {@code AWAITING_APPROVAL} state: it goes on only through
     * {@code Gateway.resumeApproved} once every approval it waits for is decided.
     */
    public boolean awaitingApproval() {
        return run != null && !finished && run.awaitsApproval();
    }

    /** True when a tool-calling run can be resumed from here. */
    public boolean resumable() {
        return run != null && !finished;
    }
}
