package dev.agentgateway.core.approval;

import java.util.Objects;

/**
 * An approval as the store holds it: the request, its decision once made, and who resumes the run.
 *
 * @param decision  null while pending
 * @param claimedBy the instance resuming (or that resumed) the run, null before
 */
public record Approval(PendingApproval request, ApprovalDecision decision, State state, String claimedBy) {

    /** Where an approval is in its life. */
    public enum State {
        /** Waiting for a decision. */
        PENDING,
        /** Decided; the run resumes once every approval of it is decided. */
        DECIDED,
        /** An instance claimed the run and is resuming it. */
        RESUMING,
        /** The run went on after the decision. */
        DONE
    }

    public Approval {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        if ((state == State.PENDING) != (decision == null)) {
            throw new IllegalArgumentException("a pending approval has no decision, a decided one has one: " + state);
        }
    }

    public static Approval pending(PendingApproval request) {
        return new Approval(request, null, State.PENDING, null);
    }

    public String id() {
        return request.id();
    }

    public String workflowId() {
        return request.workflowId();
    }

    public boolean isPending() {
        return state == State.PENDING;
    }

    public Approval decided(ApprovalDecision newDecision) {
        return new Approval(request, newDecision, State.DECIDED, null);
    }

    public Approval claimed(String claimant) {
        return new Approval(request, decision, State.RESUMING, claimant);
    }

    public Approval done() {
        return new Approval(request, decision, State.DONE, claimedBy);
    }
}
