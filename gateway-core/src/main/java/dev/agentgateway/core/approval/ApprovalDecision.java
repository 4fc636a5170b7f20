package dev.agentgateway.core.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * What was decided about a pending approval, by whom and when.
 *
 * @param editedArguments the JSON arguments the tool runs with instead of the model's (only with {@link Verdict#APPROVED_WITH_EDIT})
 * @param reason          why (a rejection's reason is what the model reads as the tool's result)
 * @param decidedBy       the person (the authenticated principal where there is one) or {@code agent-gateway} for an expiry
 */
public record ApprovalDecision(Verdict verdict, String editedArguments, String reason, String decidedBy, Instant decidedAt) {

    /** Who decides an approval nobody decided in time, or one the store could not read back. */
    public static final String GATEWAY = "agent-gateway";

    /** The reason of an expiry. */
    public static final String EXPIRED_REASON = "not decided within its time-out";

    public enum Verdict {
        APPROVED, APPROVED_WITH_EDIT, REJECTED,
        /** Not decided within its time-out: a rejection. */
        EXPIRED;

        public boolean runsTool() {
            return this == APPROVED || this == APPROVED_WITH_EDIT;
        }
    }

    public ApprovalDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(decidedAt, "decidedAt");
        if (verdict == Verdict.APPROVED_WITH_EDIT && (editedArguments == null || editedArguments.isBlank())) {
            throw new InvalidApprovalDecisionException("approving with edited arguments needs the arguments (a JSON object)");
        }
        if (verdict != Verdict.APPROVED_WITH_EDIT && editedArguments != null) {
            throw new InvalidApprovalDecisionException("only " + Verdict.APPROVED_WITH_EDIT + " carries edited arguments");
        }
    }

    public static ApprovalDecision approve(String decidedBy, Instant at) {
        return new ApprovalDecision(Verdict.APPROVED, null, null, decidedBy, at);
    }

    public static ApprovalDecision approveWithArguments(String editedArguments, String decidedBy, Instant at) {
        return new ApprovalDecision(Verdict.APPROVED_WITH_EDIT, editedArguments, null, decidedBy, at);
    }

    public static ApprovalDecision reject(String reason, String decidedBy, Instant at) {
        return new ApprovalDecision(Verdict.REJECTED, null, reason, decidedBy, at);
    }

    public static ApprovalDecision expired(Instant at) {
        return new ApprovalDecision(Verdict.EXPIRED, null, EXPIRED_REASON, GATEWAY, at);
    }

    /** For an approval whose stored form cannot be read back: fail closed. */
    public static ApprovalDecision unreadable(String what, Instant at) {
        return new ApprovalDecision(Verdict.REJECTED, null, "the approval store could not read " + what, GATEWAY, at);
    }

    public boolean runsTool() {
        return verdict.runsTool();
    }

    /** What the model reads as the tool's result when the tool does not run. */
    public String rejectionMessage(String toolName) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        return verdict == Verdict.EXPIRED
                ? "Error: tool '" + toolName + "' was not run: its approval expired (" + why + ")"
                : "Error: tool '" + toolName + "' was not run: the approver rejected it (" + why + ")";
    }
}
