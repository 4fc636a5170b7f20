package dev.agentgateway.core.provider;

import java.time.Duration;

/** The provider refused the call for rate limiting (HTTP 429). */
public class ProviderRateLimitedException extends ProviderException {

    private final Duration retryAfter;

    public ProviderRateLimitedException(String provider, String message, Duration retryAfter, Throwable cause) {
        super(provider, message, true, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked us to wait, or {@code null} when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public ProviderRateLimitedException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderRateLimitedException(provider(), message, retryAfter, cause));
    }
}
