package dev.agentgateway.core.approval;

import dev.agentgateway.core.GatewayException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Not a failure: the run reached a tool that needs a person's approval and is paused in a
 * checkpoint until every approval listed here is decided; it then resumes on whichever instance
 * claims it. Thrown instead of blocking the calling thread.
 */
public class RunAwaitingApprovalException extends GatewayException {

    private final String workflowId;
    private final transient List<PendingApproval> approvals;

    public RunAwaitingApprovalException(String workflowId, List<PendingApproval> approvals) {
        super("Run '" + workflowId + "' awaits approval of " + approvals.stream()
                .map(a -> a.toolName() + " (approval " + a.id() + ")").collect(Collectors.joining(", ")));
        this.workflowId = workflowId;
        this.approvals = List.copyOf(approvals);
    }

    public String workflowId() {
        return workflowId;
    }

    /** The approvals the run waits for. */
    public List<PendingApproval> approvals() {
        return approvals;
    }
}
