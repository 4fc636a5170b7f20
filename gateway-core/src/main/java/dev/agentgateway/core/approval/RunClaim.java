package dev.agentgateway.core.approval;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The right to resume a paused run, won by exactly one instance once every approval of the run is
 * decided; {@code approvals} carry the decisions the run goes on with.
 */
public record RunClaim(String workflowId, String claimant, List<Approval> approvals) {

    public RunClaim {
        approvals = List.copyOf(approvals);
    }

    /** The decisions, by tool-call id. */
    public Map<String, ApprovalDecision> decisionsByToolCall() {
        return approvals.stream().collect(Collectors.toMap(a -> a.request().toolCallId(), Approval::decision,
                (first, second) -> first));
    }

    public Map<String, Approval> byToolCall() {
        return approvals.stream().collect(Collectors.toMap(a -> a.request().toolCallId(), Function.identity(),
                (first, second) -> first));
    }
}
