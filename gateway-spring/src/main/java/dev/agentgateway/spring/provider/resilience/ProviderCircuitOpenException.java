package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.core.provider.ProviderException;

/**
 * The circuit breaker of a provider is open: recent calls failed too often, so the call was not
 * sent to it (no attempt was made, nothing was reserved).
 */
public class ProviderCircuitOpenException extends ProviderException {

    public ProviderCircuitOpenException(String provider, String message, Throwable cause) {
        super(provider, message, false, cause);
    }

    @Override
    public ProviderCircuitOpenException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderCircuitOpenException(provider(), message, cause));
    }
}
