package dev.agentgateway.core.provider;

import java.util.Objects;

/**
 * Where one attempt of a call goes.
 *
 * @param agentId  the calling agent (fallback lists may be per agent)
 * @param attempt  1 for the first attempt, then 2, 3…
 */
public record CallTarget(String agentId, String provider, String model, int attempt) {

    public CallTarget {
        Objects.requireNonNull(provider, "provider");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    /** The next attempt, at the same provider and model (a retry). */
    public CallTarget retry() {
        return new CallTarget(agentId, provider, model, attempt + 1);
    }

    /** The next attempt, at another provider and model (a fallback). */
    public CallTarget fallback(String newProvider, String newModel) {
        return new CallTarget(agentId, newProvider, newModel, attempt + 1);
    }
}
