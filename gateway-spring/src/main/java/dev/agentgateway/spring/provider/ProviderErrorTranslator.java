package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.ProviderException;

/**
 * Recognises the failures of one provider SDK. Asked about each throwable of a failure's cause
 * chain in turn; answers {@code null} for what it does not know.
 */
@FunctionalInterface
public interface ProviderErrorTranslator {

    /**
     * @param provider the provider id the failed call was made under
     * @param failure  one throwable of the cause chain
     * @param errors   builds the typed exceptions (with a redacted message)
     */
    ProviderException translate(String provider, Throwable failure, ProviderErrors errors);
}
