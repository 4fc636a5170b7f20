package dev.agentgateway.spring.provider;

import dev.agentgateway.core.secrets.SecretRedactor;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import org.springframework.ai.chat.model.ChatModel;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link LlmClientFactory} that builds a Spring AI {@link ChatModel} for one provider, with the
 * SDK's own retries switched off, and adapts it with {@link ChatModelLlmClient}.
 */
public abstract class SpringAiClientFactory implements LlmClientFactory {

    private final String providerId;
    private final Supplier<Duration> callTimeoutCap;

    /**
     * @param callTimeoutCap the resilience call time-out (may supply {@code null}); it caps the
     *                       {@code timeout} option
     */
    protected SpringAiClientFactory(String providerId, Supplier<Duration> callTimeoutCap) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.callTimeoutCap = callTimeoutCap == null ? () -> null : callTimeoutCap;
    }

    @Override
    public String providerId() {
        return providerId;
    }

    @Override
    public LlmClient create(String apiKey, Map<String, ?> options) {
        ProviderOptions settings = ProviderOptions.from(options, callTimeoutCap.get());
        SecretRedactor redactor = SecretRedactor.of(apiKey);
        ChatModel chatModel;
        try {
            chatModel = createChatModel(apiKey, settings);
        } catch (RuntimeException failure) {
            throw new IllegalArgumentException("Cannot create the client of provider '" + providerId + "': "
                    + redactor.redact(String.valueOf(failure.getMessage())), redactor.safeCause(failure));
        }
        return new ChatModelLlmClient(chatModel, ProviderErrors.standard().withRedactor(redactor), settings.timeout(),
                optionsCustomizer(), sdkEnforcesTimeout(), usageReader(), streamOptionsCustomizer());
    }

    /** Builds the provider's ChatModel: base URL, key, default model, SDK time-out, no SDK retries. */
    protected abstract ChatModel createChatModel(String apiKey, ProviderOptions options);

    /**
     * Whether the SDK stops a call at {@link ProviderOptions#timeout()} by itself (a total request
     * time-out, not only a read time-out); then calls run on the caller's thread.
     */
    protected boolean sdkEnforcesTimeout() {
        return false;
    }

    /** How this provider's usage reads into token counts and details; Spring AI's portable usage by default. */
    protected UsageReader usageReader() {
        return UsageReader.PORTABLE;
    }

    /** How a request's settings go on this provider's options; the portable way by default. */
    protected ChatOptionsCustomizer optionsCustomizer() {
        return ChatOptionsCustomizer.PORTABLE;
    }

    /**
     * How a streamed request's settings go on this provider's options: as a blocking request's, unless
     * the API has to be asked to report usage in a stream.
     */
    protected ChatOptionsCustomizer streamOptionsCustomizer() {
        return optionsCustomizer();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + providerId + "]";
    }
}
