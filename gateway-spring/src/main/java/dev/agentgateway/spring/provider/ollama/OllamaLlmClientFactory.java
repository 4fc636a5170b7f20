package dev.agentgateway.spring.provider.ollama;

import dev.agentgateway.spring.provider.ProviderOptions;
import dev.agentgateway.spring.provider.SpringAiClientFactory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.DefaultResponseErrorHandler;
import org.springframework.web.client.RestClient;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Clients of an Ollama server ({@code POST /api/chat}) through Spring AI's Ollama module. HTTP
 * errors keep their status and headers (Spring's default error handler, instead of Spring AI's,
 * which keeps only a message), and Spring AI's retries are off. An API key, when given, is sent
 * as a bearer token (for Ollama behind a proxy).
 */
public final class OllamaLlmClientFactory extends SpringAiClientFactory {

    public static final String PROVIDER_ID = "ollama";
    static final String DEFAULT_BASE_URL = "http://localhost:11434";
    static final String DEFAULT_MODEL = "llama3.1";

    public OllamaLlmClientFactory(Supplier<Duration> callTimeoutCap) {
        super(PROVIDER_ID, callTimeoutCap);
    }

    @Override
    protected ChatModel createChatModel(String apiKey, ProviderOptions options) {
        Duration timeout = options.sdkTimeout();
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
        requestFactory.setReadTimeout(timeout);
        RestClient.Builder rest = RestClient.builder().requestFactory(requestFactory);
        // streams go through WebClient: the same HTTP client, so the same time-outs and the same key
        WebClient.Builder web = WebClient.builder().clientConnector(new JdkClientHttpConnector(http));
        if (apiKey != null && !apiKey.isBlank()) {
            rest.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
            web.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
        }
        OllamaApi api = OllamaApi.builder()
                .baseUrl(options.baseUrlOr(DEFAULT_BASE_URL))
                .restClientBuilder(rest)
                .webClientBuilder(web)
                .responseErrorHandler(new DefaultResponseErrorHandler())
                .build();
        OllamaChatOptions chatOptions = OllamaChatOptions.builder()
                .model(options.model() != null ? options.model() : DEFAULT_MODEL)
                .build();
        return OllamaChatModel.builder()
                .ollamaApi(api)
                .options(chatOptions)
                .retryTemplate(new RetryTemplate(RetryPolicy.withMaxRetries(0)))
                .build();
    }
}
