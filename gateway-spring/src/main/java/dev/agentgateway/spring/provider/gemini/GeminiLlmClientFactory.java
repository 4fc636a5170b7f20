package dev.agentgateway.spring.provider.gemini;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.agentgateway.spring.provider.ProviderOptions;
import dev.agentgateway.spring.provider.SpringAiClientFactory;
import dev.agentgateway.spring.provider.UsageReader;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatOptions;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Clients of the Gemini API through Spring AI's Google GenAI module. Both the SDK's retries
 * ({@code HttpRetryOptions}) and Spring AI's retry template are switched off.
 */
public final class GeminiLlmClientFactory extends SpringAiClientFactory {

    public static final String PROVIDER_ID = "gemini";
    static final String DEFAULT_MODEL = "gemini-2.5-flash";

    /**
     * One attempt, and no status counted as retryable: with only {@code attempts(1)} the SDK
     * (1.65) still sleeps its back-off once after a 408, 429 or 5xx before giving the response back.
     */
    private static final HttpRetryOptions NO_RETRIES = HttpRetryOptions.builder()
            .attempts(1)
            .httpStatusCodes(List.of())
            .initialDelay(0.0)
            .maxDelay(0.0)
            .build();

    public GeminiLlmClientFactory(Supplier<Duration> callTimeoutCap) {
        super(PROVIDER_ID, callTimeoutCap);
    }

    @Override
    protected ChatModel createChatModel(String apiKey, ProviderOptions options) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("provider 'gemini' needs an api-key");
        }
        HttpOptions.Builder http = HttpOptions.builder()
                .timeout((int) Math.min(Integer.MAX_VALUE, options.sdkTimeout().toMillis()))
                .retryOptions(NO_RETRIES);
        String baseUrl = options.baseUrlOr(null);
        if (baseUrl != null) {
            http.baseUrl(baseUrl);
        }
        Client client = Client.builder().apiKey(apiKey).httpOptions(http.build()).build();
        GoogleGenAiChatOptions chatOptions = GoogleGenAiChatOptions.builder()
                .model(options.model() != null ? options.model() : DEFAULT_MODEL)
                .build();
        return GoogleGenAiChatModel.builder()
                .genAiClient(client)
                .options(chatOptions)
                .retryTemplate(new RetryTemplate(RetryPolicy.withMaxRetries(0)))
                .build();
    }

    @Override
    protected UsageReader usageReader() {
        return GeminiUsageReader.INSTANCE;
    }
}
