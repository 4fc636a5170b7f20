package dev.agentgateway.spring.provider.openai;

import dev.agentgateway.spring.provider.ChatOptionsCustomizer;
import dev.agentgateway.spring.provider.ProviderOptions;
import dev.agentgateway.spring.provider.SpringAiClientFactory;
import dev.agentgateway.spring.provider.UsageReader;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Clients of OpenAI's Chat Completions API through Spring AI's OpenAI module (the official
 * OpenAI Java SDK): OpenAI itself, xAI Grok, and any OpenAI-compatible server by base URL (vLLM,
 * LM Studio, Azure-style gateways). The base URL includes the version path ({@code …/v1}); the
 * SDK appends {@code /chat/completions}.
 */
public final class OpenAiLlmClientFactory extends SpringAiClientFactory {

    /** The services this factory can serve. */
    public enum Flavor {
        /** api.openai.com; output limit sent as {@code max_completion_tokens}. */
        OPENAI("openai", "https://api.openai.com/v1", null),
        /** xAI's OpenAI-compatible API. */
        GROK("grok", "https://api.x.ai/v1", "grok-4"),
        /** Any OpenAI-compatible endpoint: the {@code base-url} option is required. */
        OPENAI_COMPATIBLE("openai-compatible", null, null);

        private final String providerId;
        private final String defaultBaseUrl;
        private final String defaultModel;

        Flavor(String providerId, String defaultBaseUrl, String defaultModel) {
            this.providerId = providerId;
            this.defaultBaseUrl = defaultBaseUrl;
            this.defaultModel = defaultModel;
        }

        public String providerId() {
            return providerId;
        }
    }

    /** Sent when an OpenAI-compatible server needs no key (the SDK insists on one). */
    static final String NO_KEY = "no-key";

    private final Flavor flavor;

    public OpenAiLlmClientFactory(Flavor flavor, Supplier<Duration> callTimeoutCap) {
        super(flavor.providerId(), callTimeoutCap);
        this.flavor = flavor;
    }

    @Override
    protected ChatModel createChatModel(String apiKey, ProviderOptions options) {
        String baseUrl = options.baseUrlOr(flavor.defaultBaseUrl);
        if (baseUrl == null) {
            throw new IllegalArgumentException("an OpenAI-compatible provider needs the base-url option (e.g. http://localhost:8000/v1)");
        }
        String key = apiKey == null || apiKey.isBlank()
                ? (flavor == Flavor.OPENAI_COMPATIBLE ? NO_KEY : null) : apiKey;
        if (key == null) {
            throw new IllegalArgumentException("provider '" + flavor.providerId() + "' needs an api-key");
        }
        OpenAiChatOptions.Builder builder = OpenAiChatOptions.builder();
        builder.baseUrl(baseUrl);
        builder.apiKey(key);
        builder.maxRetries(0);
        builder.timeout(options.timeout()); // the SDK's total request time-out: see sdkEnforcesTimeout()
        String model = options.model() != null ? options.model() : flavor.defaultModel;
        if (model != null) {
            builder.model(model);
        }
        return OpenAiChatModel.builder().options(builder.build()).build();
    }

    @Override
    protected ChatOptionsCustomizer optionsCustomizer() {
        if (flavor != Flavor.OPENAI) {
            return ChatOptionsCustomizer.PORTABLE;
        }
        // OpenAI deprecated max_tokens, and its reasoning models refuse it
        return (builder, request) -> {
            if (request.model() != null && !request.model().isBlank()) {
                builder.model(request.model());
            }
            if (request.temperature() != null) {
                builder.temperature(request.temperature());
            }
            if (request.maxTokens() != null) {
                if (builder instanceof OpenAiChatOptions.Builder openAi) {
                    openAi.maxTokens(null);
                    openAi.maxCompletionTokens(request.maxTokens());
                } else {
                    builder.maxTokens(request.maxTokens());
                }
            }
        };
    }

    /**
     * OpenAI sends no usage in a stream unless {@code stream_options.include_usage} asks for it (then
     * in a last chunk without choices); without it the gateway could only count what it received.
     */
    @Override
    protected ChatOptionsCustomizer streamOptionsCustomizer() {
        ChatOptionsCustomizer blocking = optionsCustomizer();
        return (builder, request) -> {
            blocking.customize(builder, request);
            if (builder instanceof OpenAiChatOptions.Builder openAi) {
                openAi.streamUsage(true);
            }
        };
    }

    /** The SDK's {@code timeout} bounds the whole request, so the call needs no watching thread. */
    @Override
    protected boolean sdkEnforcesTimeout() {
        return true;
    }

    @Override
    protected UsageReader usageReader() {
        return OpenAiUsageReader.INSTANCE;
    }
}
