package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * {@code configureProvider("mock", null, options)}: options {@code response}, {@code responses}
 * (keyword → answer), {@code cost-per-call}, {@code latency-ms}, {@code failure-rate}.
 */
public final class MockLlmClientFactory implements LlmClientFactory {

    @Override
    public String providerId() {
        return LlmProvider.MOCK.id();
    }

    @Override
    @SuppressWarnings("unchecked")
    public LlmClient create(String apiKey, Map<String, ?> options) {
        MockLlmClient.Builder builder = MockLlmClient.builder();
        Object response = options.get("response");
        if (response != null) {
            builder.defaultResponse(String.valueOf(response));
        }
        if (options.get("responses") instanceof Map<?, ?> responses) {
            builder.responses((Map<String, String>) responses);
        }
        Object cost = options.get("cost-per-call");
        if (cost != null) {
            builder.costPerCall(new BigDecimal(String.valueOf(cost)));
        }
        Object latency = options.get("latency-ms");
        if (latency != null) {
            builder.latency(Duration.ofMillis(Long.parseLong(String.valueOf(latency))));
        }
        Object failureRate = options.get("failure-rate");
        if (failureRate != null) {
            builder.failureRate(Double.parseDouble(String.valueOf(failureRate)));
        }
        return builder.build();
    }
}
