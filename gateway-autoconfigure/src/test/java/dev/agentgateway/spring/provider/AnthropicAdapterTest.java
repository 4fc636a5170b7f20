package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.RetryAfterServerException;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.spring.provider.anthropic.AnthropicLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.TokenDetails;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.afterToolResults;
import static dev.agentgateway.spring.provider.ProviderTestSupport.firstTurn;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.lastBody;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnthropicAdapterTest extends AdapterContractTest {

    @Override
    String providerId() {
        return "anthropic";
    }

    @Override
    LlmClientFactory factory() {
        return new AnthropicLlmClientFactory(() -> null);
    }

    @Override
    String baseUrl() {
        return wireMockUrl();
    }

    @Override
    String fixtures() {
        return "anthropic";
    }

    @Override
    String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    String answeringModel() {
        return "claude-sonnet-4-5-20250929";
    }

    @Override
    long plainInputTokens() {
        return 21;
    }

    @Override
    long plainOutputTokens() {
        return 12;
    }

    @Override
    boolean providerGivesToolCallIds() {
        return true;
    }

    @Override
    JsonNode sentMaxTokens(JsonNode body) {
        return body.path("max_tokens");
    }

    @Override
    boolean exposesRetryAfter() {
        return true;
    }

    @Test
    void cacheReadsAndWritesAreInputPricedApart() {
        respondJson(200, fixture("anthropic/plain.json").replace(
                "\"cache_creation_input_tokens\": 0, \"cache_read_input_tokens\": 0",
                "\"cache_creation_input_tokens\": 30, \"cache_read_input_tokens\": 100"));

        LlmResponse response = complete(firstTurn("anthropic", "claude-sonnet-4-5"));

        assertThat(response.inputTokens()).as("input_tokens leave the cache out").isEqualTo(21 + 30 + 100);
        assertThat(response.outputTokens()).isEqualTo(12);
        assertThat(response.tokenDetails()).isEqualTo(new TokenDetails(100, 30, 0));
    }

    @Test
    void firstTurnRequest() {
        respondJson(200, fixture("anthropic/plain.json"));

        complete(firstTurn("anthropic", "claude-sonnet-4-5"));

        ServeEvent event = requests(wireMock).get(0);
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(event.getRequest().getUrl()).isEqualTo("/v1/messages");
        assertThat(event.getRequest().getHeader("x-api-key")).isEqualTo(API_KEY);
        assertThat(event.getRequest().getHeader("anthropic-version")).isNotBlank();
        JsonNode body = lastBody(wireMock);
        assertThat(body.path("model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(systemText(body)).isEqualTo("You are a weather assistant.");
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("user");
        assertThat(text(body.path("messages").get(0).path("content"))).isEqualTo("What is the weather in Boston?");
        assertThat(body.path("tools")).hasSize(2);
        assertThat(body.path("tools").get(0).path("name").asString()).isEqualTo("get_current_weather");
        assertThat(body.path("tools").get(0).path("description").asString()).isEqualTo("Get the current weather in a given location");
        assertThat(body.path("tools").get(0).path("input_schema").path("properties").path("location").path("type").asString())
                .isEqualTo("string");
    }

    @Test
    void toolResultsGoBackAsToolResultBlocksWithTheirIds() {
        respondJson(200, fixture("anthropic/plain.json"));

        complete(afterToolResults("anthropic", "claude-sonnet-4-5"));

        assertThat(lastBody(wireMock).path("max_tokens").asInt()).as("required by the Messages API").isPositive();
        JsonNode messages = lastBody(wireMock).path("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1);
        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        JsonNode toolUses = filter(assistant.path("content"), "tool_use");
        assertThat(toolUses).hasSize(2);
        assertThat(toolUses.get(0).path("id").asString()).isEqualTo("call_paris");
        assertThat(toolUses.get(0).path("name").asString()).isEqualTo("get_current_weather");
        assertThat(toolUses.get(0).path("input").path("location").asString()).isEqualTo("Paris, FR");
        assertThat(toolUses.get(1).path("id").asString()).isEqualTo("call_tokyo");
        for (JsonNode block : assistant.path("content")) {
            if ("text".equals(block.path("type").asString())) {
                assertThat(block.path("text").asString()).as("no empty text block").isNotEmpty();
            }
        }
        JsonNode results = messages.get(2);
        assertThat(results.path("role").asString()).isEqualTo("user");
        JsonNode toolResults = filter(results.path("content"), "tool_result");
        assertThat(toolResults).hasSize(2);
        assertThat(toolResults.get(0).path("tool_use_id").asString()).isEqualTo("call_paris");
        assertThat(text(toolResults.get(0).path("content"))).isEqualTo("{\"temp\":18}");
        assertThat(toolResults.get(1).path("tool_use_id").asString()).isEqualTo("call_tokyo");
    }

    @Test
    void textBeforeAToolCallIsKept() {
        respondJson(200, fixture("anthropic/tool-call.json"));

        LlmResponse response = complete(firstTurn("anthropic", "claude-sonnet-4-5"));

        assertThat(response.content()).isEqualTo("I'll check the current weather in Boston for you.");
        assertThat(response.toolCalls()).hasSize(1);
        assertThat(response.inputTokens()).isEqualTo(384);
        assertThat(response.outputTokens()).isEqualTo(71);
    }

    @Test
    void overloadedIsAServerErrorThatHonoursRetryAfter() {
        respond(aResponse().withStatus(529).withHeader("Content-Type", "application/json").withHeader("Retry-After", "3")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        ProviderServerException failure = catchThrowableOfType(ProviderServerException.class,
                () -> complete(firstTurn("anthropic", "claude-sonnet-4-5")));

        assertThat(failure.status()).isEqualTo(529);
        assertThat(failure).isInstanceOf(RetryAfterServerException.class);
        assertThat(((RetryAfterServerException) failure).retryAfter()).hasSeconds(3);
    }

    static String systemText(JsonNode body) {
        JsonNode system = body.path("system");
        return system.isArray() ? text(system) : system.asString();
    }

    /** The text of a content that is a string or an array of text blocks. */
    static String text(JsonNode content) {
        if (!content.isArray()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(block.path("text").asString());
        }
        return text.toString();
    }

    static JsonNode filter(JsonNode blocks, String type) {
        tools.jackson.databind.node.ArrayNode result = ProviderTestSupport.JSON.createArrayNode();
        for (JsonNode block : blocks) {
            if (type.equals(block.path("type").asString())) {
                result.add(block);
            }
        }
        return result;
    }
}
