package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.anthropic.AnthropicLlmClientFactory;
import dev.agentgateway.core.provider.LlmClientFactory;

class AnthropicStreamTest extends StreamingContractTest {

    @Override
    LlmClientFactory factory() {
        return new AnthropicLlmClientFactory(() -> null);
    }

    @Override
    String providerId() {
        return "anthropic";
    }

    @Override
    String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    String baseUrl(String root) {
        return root;
    }

    @Override
    String fixtures() {
        return "anthropic";
    }

    @Override
    boolean serverSentEvents() {
        return true;
    }

    @Override
    long textInputTokens() {
        return 25;
    }

    @Override
    long textOutputTokens() {
        return 15;
    }

    @Override
    String malformedEvent() {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\": oops";
    }

    @Override
    String toolCallId() {
        return "toolu_boston";
    }
}
