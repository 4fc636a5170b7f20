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
}
