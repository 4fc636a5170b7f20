package dev.agentgateway.core;

/**
 * Root of every exception the gateway throws. All are unchecked: a refused or failed call is
 * a decision the caller may handle, never a forced {@code throws} clause.
 */
public class GatewayException extends RuntimeException {

    public GatewayException(String message) {
        super(message);
    }

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
