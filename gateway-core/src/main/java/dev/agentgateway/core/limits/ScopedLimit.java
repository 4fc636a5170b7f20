package dev.agentgateway.core.limits;

/** A scope a call touches, with the limits in force there. */
public record ScopedLimit(LimitScope scope, ScopeLimits limits) {
}
