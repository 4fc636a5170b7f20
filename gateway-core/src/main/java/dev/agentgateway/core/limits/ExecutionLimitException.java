package dev.agentgateway.core.limits;

import dev.agentgateway.core.GatewayException;

/** A call was refused because it would break a limit. Thrown before the provider is contacted. */
public abstract class ExecutionLimitException extends GatewayException {

    private final LimitKind kind;
    private final LimitScope scope;
    private final String agentId;

    protected ExecutionLimitException(String message, LimitKind kind, LimitScope scope, String agentId) {
        super(message);
        this.kind = kind;
        this.scope = scope;
        this.agentId = agentId;
    }

    public LimitKind kind() {
        return kind;
    }

    /** The scope whose limit was hit. */
    public LimitScope scope() {
        return scope;
    }

    /** The agent whose call was refused. */
    public String agentId() {
        return agentId;
    }

    /** Usage at the time of the refusal, in the limit's unit. */
    public abstract Number current();

    public abstract Number limit();
}
