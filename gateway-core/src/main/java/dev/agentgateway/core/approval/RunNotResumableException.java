package dev.agentgateway.core.approval;

import java.util.List;

/**
 * A paused run cannot be resumed now: an approval of it still waits for a decision, another
 * instance claimed it and is resuming it, or it has no approvals to resume with. Nothing ran.
 */
public class RunNotResumableException extends ApprovalException {

    /** Why the run cannot be resumed. */
    public enum Reason {
        /** At least one approval of the run is still pending. */
        PENDING,
        /** Another instance (or another thread) claimed the run and is resuming it. */
        CLAIMED,
        /** The run has no approval left to resume with (never paused, or resumed already). */
        NO_APPROVALS
    }

    private final String workflowId;
    private final Reason reason;

    public RunNotResumableException(String workflowId, Reason reason, String message) {
        super(message);
        this.workflowId = workflowId;
        this.reason = reason;
    }

    /** The refusal for a run whose claim failed, told from its approvals as they stand. */
    public static RunNotResumableException of(String workflowId, List<Approval> approvals) {
        long pending = approvals.stream().filter(Approval::isPending).count();
        if (pending > 0) {
            return new RunNotResumableException(workflowId, Reason.PENDING,
                    "Run '" + workflowId + "' cannot be resumed: " + pending + " of its approvals still wait for a decision");
        }
        return approvals.stream().filter(a -> a.state() == Approval.State.RESUMING).findFirst()
                .map(a -> new RunNotResumableException(workflowId, Reason.CLAIMED,
                        "Run '" + workflowId + "' cannot be resumed: it is being resumed by " + a.claimedBy()))
                .orElseGet(() -> new RunNotResumableException(workflowId, Reason.NO_APPROVALS,
                        "Run '" + workflowId + "' cannot be resumed: it has no decided approvals to resume with"));
    }

    public String workflowId() {
        return workflowId;
    }

    public Reason reason() {
        return reason;
    }
}
