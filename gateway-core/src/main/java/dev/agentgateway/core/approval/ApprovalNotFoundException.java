package dev.agentgateway.core.approval;

/** No approval has this id. */
public class ApprovalNotFoundException extends ApprovalException {

    private final String approvalId;

    public ApprovalNotFoundException(String approvalId) {
        super("No approval '" + approvalId + "'");
        this.approvalId = approvalId;
    }

    public String approvalId() {
        return approvalId;
    }
}
