package dev.agentgateway.core.internal;

import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderRegistry;

/**
 * Attempt step 3, the provider: the client's answer. Its exceptions become typed provider
 * exceptions free of secrets; {@link Error}s pass as they are; no answer at all is a bad response.
 */
public final class ProviderStage {

    private final ProviderRegistry providers;

    public ProviderStage(ProviderRegistry providers) {
        this.providers = providers;
    }

    public LlmResponse complete(PreparedCall prepared) {
        String providerId = prepared.providerId();
        LlmResponse raw;
        try {
            raw = prepared.client().complete(prepared.request());
        } catch (RuntimeException failure) {
            throw providers.scrubbed(providerId, failure);
        }
        if (raw == null) {
            throw new ProviderBadResponseException(providerId, "Provider '" + providerId + "' returned no response", null);
        }
        return raw;
    }
}
