package dev.agentgateway.spring.provider.anthropic;

import dev.agentgateway.spring.provider.ProviderOptions;
import dev.agentgateway.spring.provider.SpringAiClientFactory;
import dev.agentgateway.spring.provider.UsageReader;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Clients of Anthropic's Messages API through Spring AI's Anthropic module (the official
 * Anthropic Java SDK). The base URL has no version path; the SDK calls {@code /v1/messages}.
 */
public final class AnthropicLlmClientFactory extends SpringAiClientFactory {

    public static final String PROVIDER_ID = "anthropic";

    public AnthropicLlmClientFactory(Supplier<Duration> callTimeoutCap) {
        super(PROVIDER_ID, callTimeoutCap);
    }

    @Override
    protected ChatModel createChatModel(String apiKey, ProviderOptions options) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("provider 'anthropic' needs an api-key");
        }
        AnthropicChatOptions.Builder builder = AnthropicChatOptions.builder();
        String baseUrl = options.baseUrlOr(null);
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        builder.apiKey(apiKey);
        builder.maxRetries(0);
        builder.timeout(options.timeout()); // the SDK's total request time-out: see sdkEnforcesTimeout()
        if (options.model() != null) {
            builder.model(options.model());
        }
        return AnthropicChatModel.builder().options(builder.build()).build();
    }

    /** The SDK's {@code timeout} bounds the whole request, so the call needs no watching thread. */
    @Override
    protected boolean sdkEnforcesTimeout() {
        return true;
    }

    @Override
    protected UsageReader usageReader() {
        return AnthropicUsageReader.INSTANCE;
    }
}
