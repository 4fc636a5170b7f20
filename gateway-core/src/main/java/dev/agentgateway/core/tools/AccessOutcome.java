package dev.agentgateway.core.tools;

/** How an access check ended. */
public enum AccessOutcome {
    ALLOWED(true),
    APPROVED(true),
    DENIED_BY_RULE(false),
    DENIED_BY_POLICY(false),
    APPROVAL_REJECTED(false),
    NO_APPROVER(false),
    /** Approval is asked of a person through the durable approvals: the run pauses until it is decided. */
    APPROVAL_PENDING(false);

    private final boolean allowed;

    AccessOutcome(boolean allowed) {
        this.allowed = allowed;
    }

    public boolean isAllowed() {
        return allowed;
    }
}
