package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.ChatModelLlmClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.provider.LlmResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** xAI Grok and any OpenAI-compatible server (vLLM, LM Studio…) through the OpenAI module. */
class OpenAiCompatibleProvidersTest {

    private static WireMockServer wireMock;

    @BeforeAll
    static void start() {
        wireMock = ProviderTestSupport.startWireMock();
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @BeforeEach
    void stubPlainAnswer() {
        wireMock.resetAll();
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("openai/plain.json"))));
    }

    private static String base() {
        return "http://127.0.0.1:" + wireMock.port() + "/v1";
    }

    @Test
    void grokUsesTheChatCompletionsApiWithItsDefaultModel() {
        var grok = new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.GROK, () -> null)
                .create("xai-test-key-abcdefghij", Map.of("base-url", base(), "timeout", Duration.ofSeconds(10)));

        LlmResponse response = grok.complete(ProviderTestSupport.firstTurn("grok", null));

        assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
        ServeEvent event = requests(wireMock).get(0);
        assertThat(event.getRequest().getUrl()).isEqualTo("/v1/chat/completions");
        assertThat(event.getRequest().getHeader("Authorization")).isEqualTo("Bearer xai-test-key-abcdefghij");
        JsonNode body = ProviderTestSupport.body(event);
        assertThat(body.path("model").asString()).isEqualTo("grok-4");
        assertThat(body.path("max_tokens").asInt()).as("widely supported name of the output limit").isEqualTo(256);
    }

    @Test
    void openAiCompatibleServerByBaseUrlNeedsNoKey() {
        Gateway gateway = Gateway.builder()
                .clientFactory(new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI_COMPATIBLE, () -> null))
                .build();
        gateway.configureProvider("vllm", null, Map.of("type", "openai-compatible", "base-url", base() + "/",
                "model", "meta-llama/Llama-3.1-8B-Instruct"));

        LlmResponse response = gateway.call("agent", "vllm", null, "Hello?");

        assertThat(response.provider()).isEqualTo("vllm");
        assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
        ServeEvent event = requests(wireMock).get(0);
        assertThat(event.getRequest().getUrl()).isEqualTo("/v1/chat/completions");
        assertThat(ProviderTestSupport.body(event).path("model").asString()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        gateway.close();
    }

    @Test
    void openAiCompatibleWithoutBaseUrlFailsClearly() {
        var factory = new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI_COMPATIBLE, () -> null);

        assertThatThrownBy(() -> factory.create("key", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base-url");
    }

    @Test
    void openAiWithoutKeyFailsClearlyAndNeverShowsAKey() {
        var factory = new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null);

        assertThatThrownBy(() -> factory.create(null, Map.of("base-url", base())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api-key");
    }

    @Test
    void resilienceCallTimeoutCapsTheProviderTimeout() {
        var factory = new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> Duration.ofSeconds(5));

        var client = (ChatModelLlmClient) factory.create("sk-abc", Map.of("base-url", base(), "timeout", Duration.ofSeconds(60)));
        var lenient = (ChatModelLlmClient) factory.create("sk-abc", Map.of("base-url", base(), "timeout", "2s"));

        assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(lenient.timeout()).isEqualTo(Duration.ofSeconds(2));
    }
}
