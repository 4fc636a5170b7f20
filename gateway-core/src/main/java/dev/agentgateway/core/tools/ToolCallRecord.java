package dev.agentgateway.core.tools;

import java.time.Instant;

/**
 * One tool call of a run: what the model asked, what came back. Failed calls are recorded too.
 *
 * @param arguments the model's raw JSON arguments
 * @param result    what was sent back to the model (the error message for a failed call)
 */
public record ToolCallRecord(Instant timestamp, String agentId, String workflowId, String tenant, String toolCallId,
                             String toolName, String arguments, ToolCallOutcome outcome, String result, long durationMs) {

    public boolean success() {
        return outcome.isSuccess();
    }
}
