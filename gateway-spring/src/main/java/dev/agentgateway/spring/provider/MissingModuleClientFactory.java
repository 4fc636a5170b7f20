package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.ProviderNotFoundException;

import java.util.Map;

/**
 * Stands in for the factory of a provider whose Spring AI module is not on the class path, for
 * the provider ids the core does not know a module for ({@code openai-compatible}): configuring
 * it fails with a {@link ProviderNotFoundException} that names the module to add.
 */
public final class MissingModuleClientFactory implements LlmClientFactory {

    private final String providerId;
    private final String module;

    public MissingModuleClientFactory(String providerId, String module) {
        this.providerId = providerId;
        this.module = module;
    }

    @Override
    public String providerId() {
        return providerId;
    }

    @Override
    public LlmClient create(String apiKey, Map<String, ?> options) {
        throw new ProviderNotFoundException(providerId, "Cannot configure LLM provider '" + providerId + "': add "
                + module + " (and gateway-autoconfigure) to the class path");
    }
}
