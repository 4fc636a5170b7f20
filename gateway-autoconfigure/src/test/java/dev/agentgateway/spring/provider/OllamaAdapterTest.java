package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.spring.provider.ollama.OllamaLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.afterToolResults;
import static dev.agentgateway.spring.provider.ProviderTestSupport.firstTurn;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.lastBody;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

class OllamaAdapterTest extends AdapterContractTest {

    @Override
    String providerId() {
        return "ollama";
    }

    @Override
    LlmClientFactory factory() {
        return new OllamaLlmClientFactory(() -> null);
    }

    @Override
    String baseUrl() {
        return wireMockUrl();
    }

    @Override
    String fixtures() {
        return "ollama";
    }

    @Override
    String model() {
        return "llama3.2";
    }

    @Override
    String answeringModel() {
        return "llama3.2";
    }

    @Override
    long plainInputTokens() {
        return 26;
    }

    @Override
    long plainOutputTokens() {
        return 298;
    }

    @Override
    boolean providerGivesToolCallIds() {
        return false;
    }

    @Override
    JsonNode sentMaxTokens(JsonNode body) {
        return body.path("options").path("num_predict");
    }

    @Override
    boolean exposesRetryAfter() {
        return true;
    }

    @Test
    void firstTurnRequest() {
        respondJson(200, fixture("ollama/plain.json"));

        complete(firstTurn("ollama", "llama3.2"));

        ServeEvent event = requests(wireMock).get(0);
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(event.getRequest().getUrl()).isEqualTo("/api/chat");
        assertThat(event.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        JsonNode body = lastBody(wireMock);
        assertThat(body.path("model").asString()).isEqualTo("llama3.2");
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(256);
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("tools")).hasSize(2);
        assertThat(body.path("tools").get(0).path("function").path("name").asString()).isEqualTo("get_current_weather");
    }

    @Test
    void toolResultsGoBackAsToolMessages() {
        respondJson(200, fixture("ollama/plain.json"));

        complete(afterToolResults("ollama", "llama3.2"));

        JsonNode messages = lastBody(wireMock).path("messages");
        assertThat(messages).hasSize(5);
        assertThat(messages.get(2).path("role").asString()).isEqualTo("assistant");
        assertThat(messages.get(2).path("tool_calls")).hasSize(2);
        assertThat(messages.get(2).path("tool_calls").get(0).path("function").path("name").asString())
                .isEqualTo("get_current_weather");
        assertThat(messages.get(3).path("role").asString()).isEqualTo("tool");
        assertThat(messages.get(3).path("content").asString()).isEqualTo("{\"temp\":18}");
        assertThat(messages.get(4).path("content").asString()).isEqualTo("{\"temp\":24}");
    }
}
