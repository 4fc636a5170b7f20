package dev.agentgateway.core.approval;

/** A decision that cannot be applied: edited arguments that are not a JSON object, a rejection without a reason. */
public class InvalidApprovalDecisionException extends ApprovalException {

    public InvalidApprovalDecisionException(String message) {
        super(message);
    }
}
