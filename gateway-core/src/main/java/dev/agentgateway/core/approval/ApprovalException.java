package dev.agentgateway.core.approval;

import dev.agentgateway.core.GatewayException;

/** An approval could not be created, found or decided. */
public class ApprovalException extends GatewayException {

    public ApprovalException(String message) {
        super(message);
    }

    public ApprovalException(String message, Throwable cause) {
        super(message, cause);
    }
}
