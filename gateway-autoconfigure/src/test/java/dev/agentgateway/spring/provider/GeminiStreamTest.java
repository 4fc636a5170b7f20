package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.gemini.GeminiLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class GeminiStreamTest extends StreamingContractTest {

    @Override
    LlmClientFactory factory() {
        return new GeminiLlmClientFactory(() -> null);
    }

    @Override
    String providerId() {
        return "gemini";
    }

    @Override
    String model() {
        return "gemini-2.5-flash";
    }

    @Override
    String baseUrl(String root) {
        return root;
    }

    @Override
    String fixtures() {
        return "gemini";
    }

    @Override
    boolean serverSentEvents() {
        return true;
    }

    @Override
    long textInputTokens() {
        return 8;
    }

    @Override
    long textOutputTokens() {
        return 10;
    }

    @Override
    String toolCallId() {
        return null;
    }

    /**
     * A known gap, pinned so that it is seen when it closes: Spring AI's Gemini model reports finish
     * reason STOP on every chunk, even one whose candidate has none, so a stream the server ends
     * cleanly between two events reads as a finished answer. A connection reset is still a typed
     * failure ({@link #aResetConnectionIsATypedFailure}); the gateway counts what arrived.
     */
    @Override
    @Test
    void aStreamCutHalfWayDeliversWhatArrivedThenATypedFailure() {
        respondStream("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello!\"}], \"role\": \"model\"},"
                + " \"index\": 0}], \"modelVersion\": \"gemini-2.5-flash\"}\n\n");

        Outcome outcome = stream(client());

        assertThat(outcome.text()).isEqualTo("Hello!");
        assertThat(outcome.error()).as("Spring AI says STOP for a chunk without a finish reason").isNull();
        assertThat(outcome.chunks()).contains(dev.agentgateway.core.provider.LlmChunk.finish("stop"));
    }
}
