package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiStreamTest extends StreamingContractTest {

    @Override
    LlmClientFactory factory() {
        return new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null);
    }

    @Override
    String providerId() {
        return "openai";
    }

    @Override
    String model() {
        return "gpt-4o-mini";
    }

    @Override
    String baseUrl(String root) {
        return root + "/v1";
    }

    @Override
    String fixtures() {
        return "openai";
    }

    @Override
    boolean serverSentEvents() {
        return true;
    }

    @Override
    long textInputTokens() {
        return 19;
    }

    @Override
    long textOutputTokens() {
        return 10;
    }

    @Override
    String toolCallId() {
        return "call_boston";
    }

    @Test
    void theStreamedRequestAsksForAStreamAndForItsUsage() {
        respondStream(streamFixture("stream-text"));

        stream(client());

        JsonNode body = ProviderTestSupport.lastBody(wireMock);
        assertThat(body.path("stream").asBoolean(false)).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean(false)).isTrue();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(256);
    }
}
