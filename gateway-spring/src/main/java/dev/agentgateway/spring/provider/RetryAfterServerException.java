package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.ProviderServerException;

import java.time.Duration;

/**
 * A server error (5xx, typically 503 or 529) whose response said how long to wait before trying
 * again; the resilient call strategy honours it as it does for rate limits.
 */
public class RetryAfterServerException extends ProviderServerException {

    private final Duration retryAfter;

    public RetryAfterServerException(String provider, int status, String message, Duration retryAfter, Throwable cause) {
        super(provider, status, message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked us to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public RetryAfterServerException withMessage(String message, Throwable cause) {
        return sameTrace(new RetryAfterServerException(provider(), status(), message, retryAfter, cause));
    }
}
