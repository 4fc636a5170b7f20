package dev.agentgateway.core.provider;

import java.util.Map;

/**
 * Creates the client of one provider from an API key and options: what
 * {@code Gateway.configureProvider(provider, apiKey, options)} calls. Factories are found with
 * {@link java.util.ServiceLoader} and can be added to the gateway's builder.
 */
public interface LlmClientFactory {

    /** The provider id this factory serves, e.g. {@code "openai"}. */
    String providerId();

    /**
     * @param apiKey  the secret; implementations must never put it into a message or log line
     * @param options provider options such as {@code base-url}, {@code model}, {@code timeout}
     */
    LlmClient create(String apiKey, Map<String, ?> options);
}
