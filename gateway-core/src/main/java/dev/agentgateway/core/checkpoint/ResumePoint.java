package dev.agentgateway.core.checkpoint;

import java.util.List;

/**
 * Where {@code resume} would pick a run up.
 *
 * @param step                 the step of the latest checkpoint
 * @param iteration            provider calls already made by the tool-calling run
 * @param completedToolCallIds tool calls of the current turn that will not run again
 * @param pendingToolCallIds   tool calls of the current turn still to run
 */
public record ResumePoint(String workflowId, int step, int iteration, List<String> completedToolCallIds,
                          List<String> pendingToolCallIds, boolean finished) {

    public static ResumePoint of(Checkpoint checkpoint) {
        List<String> pending = checkpoint.pendingToolCalls().stream()
                .map(dev.agentgateway.core.provider.ToolCall::id)
                .filter(id -> !checkpoint.completedToolResults().containsKey(id))
                .toList();
        int iteration = checkpoint.run() == null ? 0 : checkpoint.run().iteration();
        return new ResumePoint(checkpoint.workflowId(), checkpoint.step(), iteration,
                List.copyOf(checkpoint.completedToolResults().keySet()), pending, checkpoint.finished());
    }
}
