package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.spring.provider.gemini.GeminiLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenDetails;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.afterToolResults;
import static dev.agentgateway.spring.provider.ProviderTestSupport.firstTurn;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.lastBody;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

class GeminiAdapterTest extends AdapterContractTest {

    @Override
    String providerId() {
        return "gemini";
    }

    @Override
    LlmClientFactory factory() {
        return new GeminiLlmClientFactory(() -> null);
    }

    @Override
    String baseUrl() {
        return wireMockUrl();
    }

    @Override
    String fixtures() {
        return "gemini";
    }

    @Override
    String model() {
        return "gemini-2.5-flash";
    }

    @Override
    String answeringModel() {
        return "gemini-2.5-flash";
    }

    @Override
    long plainInputTokens() {
        return 8;
    }

    @Override
    long plainOutputTokens() {
        return 10;
    }

    @Override
    boolean providerGivesToolCallIds() {
        return false;
    }

    @Override
    JsonNode sentMaxTokens(JsonNode body) {
        return body.path("generationConfig").path("maxOutputTokens");
    }

    @Override
    boolean exposesRetryAfter() {
        return false;
    }

    @Test
    void thinkingTokensAreOutputAndCachedContentIsRead() {
        respondJson(200, fixture("gemini/plain.json").replace("\"totalTokenCount\": 18}",
                "\"totalTokenCount\": 50, \"thoughtsTokenCount\": 32, \"cachedContentTokenCount\": 5}"));

        LlmResponse response = complete(firstTurn("gemini", "gemini-2.5-flash"));

        assertThat(response.inputTokens()).isEqualTo(8);
        assertThat(response.outputTokens()).as("candidatesTokenCount leaves the thinking out").isEqualTo(10 + 32);
        assertThat(response.tokenDetails()).isEqualTo(new TokenDetails(5, 0, 32));
    }

    @Test
    void firstTurnRequest() {
        respondJson(200, fixture("gemini/plain.json"));

        complete(firstTurn("gemini", "gemini-2.5-flash"));

        ServeEvent event = requests(wireMock).get(0);
        assertThat(event.getRequest().getMethod().getName()).isEqualTo("POST");
        assertThat(event.getRequest().getUrl()).startsWith("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(event.getRequest().getHeader("x-goog-api-key")).isEqualTo(API_KEY);
        JsonNode body = lastBody(wireMock);
        assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asString())
                .isEqualTo("You are a weather assistant.");
        assertThat(body.path("contents")).hasSize(1);
        assertThat(body.path("contents").get(0).path("role").asString()).isEqualTo("user");
        assertThat(body.path("contents").get(0).path("parts").get(0).path("text").asString())
                .isEqualTo("What is the weather in Boston?");
        JsonNode config = body.path("generationConfig");
        assertThat(config.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(config.path("maxOutputTokens").asInt()).isEqualTo(256);
        JsonNode declarations = body.path("tools").get(0).path("functionDeclarations");
        assertThat(declarations).hasSize(2);
        assertThat(declarations.get(0).path("name").asString()).isEqualTo("get_current_weather");
    }

    @Test
    void toolResultsGoBackAsFunctionResponses() {
        respondJson(200, fixture("gemini/plain.json"));

        complete(afterToolResults("gemini", "gemini-2.5-flash"));

        JsonNode contents = lastBody(wireMock).path("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).path("role").asString()).isEqualTo("model");
        assertThat(contents.get(1).path("parts")).hasSize(2);
        assertThat(contents.get(1).path("parts").get(0).path("functionCall").path("name").asString())
                .isEqualTo("get_current_weather");
        assertThat(contents.get(1).path("parts").get(0).path("functionCall").path("args").path("location").asString())
                .isEqualTo("Paris, FR");
        JsonNode responses = contents.get(2).path("parts");
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0).path("functionResponse").path("name").asString()).isEqualTo("get_current_weather");
        assertThat(responses.get(1).path("functionResponse").path("name").asString()).isEqualTo("get_current_weather");
    }
}
