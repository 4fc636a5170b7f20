package dev.agentgateway.core.approval;

/**
 * A decision arrived for an approval that is no longer pending: decided before (by someone else,
 * or rejected by its time-out), or its run is being resumed. The decision made first stands.
 */
public class ApprovalAlreadyDecidedException extends ApprovalException {

    private final transient Approval current;

    public ApprovalAlreadyDecidedException(Approval current) {
        super(message(current));
        this.current = current;
    }

    private static String message(Approval current) {
        ApprovalDecision decision = current.decision();
        String what = "Approval '" + current.id() + "' of run '" + current.workflowId() + "' was already decided: "
                + decision.verdict() + " by " + decision.decidedBy() + " at " + decision.decidedAt();
        return current.state() == Approval.State.RESUMING ? what + "; the run is being resumed by " + current.claimedBy()
                : what;
    }

    /** The approval as it stands, with the decision that was made first. */
    public Approval current() {
        return current;
    }
}
