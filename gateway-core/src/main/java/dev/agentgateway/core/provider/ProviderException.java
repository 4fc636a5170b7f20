package dev.agentgateway.core.provider;

import dev.agentgateway.core.GatewayException;

/**
 * A provider did not produce a usable answer. {@link #isRetryable()} tells whether trying again
 * may help (rate limits, server errors, time-outs) or not (authentication, bad requests).
 */
public class ProviderException extends GatewayException {

    private final String provider;
    private final boolean retryable;

    public ProviderException(String provider, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.retryable = retryable;
    }

    public ProviderException(String provider, String message) {
        this(provider, message, false, null);
    }

    public String provider() {
        return provider;
    }

    public boolean isRetryable() {
        return retryable;
    }

    /**
     * This failure with another message and cause, and everything else it means kept: its type, its
     * retryability, its figures (a server error's status, a rate limit's retry-after) and its stack
     * trace. How a message is cleaned of a secret without changing how retries and circuit breakers
     * treat the failure. Every subtype overrides it to make a copy of its own type.
     */
    public ProviderException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderException(provider, message, retryable, cause));
    }

    /** {@code copy} with this exception's stack trace, for {@link #withMessage}. */
    protected final <T extends ProviderException> T sameTrace(T copy) {
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
