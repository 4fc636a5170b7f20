package dev.agentgateway.core.checkpoint;

import dev.agentgateway.core.GatewayException;

/** A checkpoint could not be stored, found or resumed from. */
public class CheckpointException extends GatewayException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
