package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenDetails;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.afterToolResults;
import static dev.agentgateway.spring.provider.ProviderTestSupport.firstTurn;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.lastBody;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiAdapterTest extends AdapterContractTest {

    @Override
    String providerId() {
        return "openai";
    }

    @Override
    LlmClientFactory factory() {
        return new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null);
    }

    @Override
    String baseUrl() {
        return wireMockUrl() + "/v1";
    }

    @Override
    String fixtures() {
        return "openai";
    }

    @Override
    String model() {
        return "gpt-4o-mini";
    }

    @Override
    String answeringModel() {
        return "gpt-4.1-2025-04-14";
    }

    @Override
    long plainInputTokens() {
        return 19;
    }

    @Override
    long plainOutputTokens() {
        return 10;
    }

    @Override
    boolean providerGivesToolCallIds() {
        return true;
    }

    @Override
    JsonNode sentMaxTokens(JsonNode body) {
        return body.path("max_completion_tokens");
    }

    @Override
    boolean exposesRetryAfter() {
        return true;
    }

    @Test
    void cachedInputAndReasoningTokensAreRead() {
        respondJson(200, fixture("openai/plain.json").replace("\"cached_tokens\": 0", "\"cached_tokens\": 12")
                .replace("\"reasoning_tokens\": 0", "\"reasoning_tokens\": 4"));

        LlmResponse response = complete(firstTurn("openai", "gpt-4o-mini"));

        assertThat(response.inputTokens()).as("prompt_tokens include the cached ones").isEqualTo(19);
        assertThat(response.outputTokens()).as("completion_tokens include the reasoning ones").isEqualTo(10);
        assertThat(response.tokenDetails()).isEqualTo(new TokenDetails(12, 0, 4));
    }

    @Test
    void firstTurnRequest() {
        respondJson(200, fixture("openai/plain.json"));

        complete(firstTurn("openai", "gpt-4o-mini"));

        ServeEvent event = requests(wireMock).get(0);
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(event.getRequest().getUrl()).isEqualTo("/v1/chat/completions");
        assertThat(event.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(event.getRequest().getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = lastBody(wireMock);
        assertThat(body.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("stream").asBoolean(false)).isFalse();
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("You are a weather assistant.");
        assertThat(body.path("messages").get(1).path("role").asString()).isEqualTo("user");
        assertThat(body.path("messages").get(1).path("content").asString()).isEqualTo("What is the weather in Boston?");
        assertThat(body.path("tools")).hasSize(2);
        JsonNode weather = body.path("tools").get(0);
        assertThat(weather.path("type").asString()).isEqualTo("function");
        assertThat(weather.path("function").path("name").asString()).isEqualTo("get_current_weather");
        assertThat(weather.path("function").path("description").asString()).isEqualTo("Get the current weather in a given location");
        assertThat(weather.path("function").path("parameters").path("required").get(0).asString()).isEqualTo("location");
        assertThat(weather.path("function").path("parameters").path("properties").path("location").path("type").asString())
                .isEqualTo("string");
    }

    @Test
    void toolResultsGoBackWithTheirIds() {
        respondJson(200, fixture("openai/plain.json"));

        complete(afterToolResults("openai", "gpt-4o-mini"));

        JsonNode messages = lastBody(wireMock).path("messages");
        assertThat(messages).hasSize(5);
        JsonNode assistant = messages.get(2);
        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        assertThat(assistant.path("tool_calls")).hasSize(2);
        assertThat(assistant.path("tool_calls").get(0).path("id").asString()).isEqualTo("call_paris");
        assertThat(assistant.path("tool_calls").get(0).path("type").asString()).isEqualTo("function");
        assertThat(assistant.path("tool_calls").get(0).path("function").path("name").asString()).isEqualTo("get_current_weather");
        assertThat(assistant.path("tool_calls").get(0).path("function").path("arguments").asString())
                .isEqualTo("{\"location\":\"Paris, FR\"}");
        assertThat(assistant.path("tool_calls").get(1).path("id").asString()).isEqualTo("call_tokyo");
        assertThat(List.of(messages.get(3).path("role").asString(), messages.get(4).path("role").asString()))
                .containsExactly("tool", "tool");
        assertThat(messages.get(3).path("tool_call_id").asString()).isEqualTo("call_paris");
        assertThat(messages.get(3).path("content").asString()).isEqualTo("{\"temp\":18}");
        assertThat(messages.get(4).path("tool_call_id").asString()).isEqualTo("call_tokyo");
        assertThat(messages.get(4).path("content").asString()).isEqualTo("{\"temp\":24}");
        JsonNode body = lastBody(wireMock);
        assertThat(body.has("temperature")).as("no temperature asked for").isFalse();
        assertThat(body.has("max_completion_tokens")).isFalse();
    }

    @Test
    void requestWithoutToolsSendsNone() {
        respondJson(200, fixture("openai/plain.json"));

        complete(new dev.agentgateway.core.provider.LlmRequest("openai", null,
                List.of(dev.agentgateway.core.provider.LlmMessage.user("Hi")), List.of(), null, null));

        JsonNode body = lastBody(wireMock);
        assertThat(body.has("tools")).isFalse();
        assertThat(body.path("model").asString()).as("the provider's configured model").isEqualTo("gpt-4o-mini");
    }
}
