package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * {@code configureProvider("mock", null, options)}: options {@code response}, {@code responses}
 * (keyword → answer), {@code cost-per-call}, {@code latency-ms}, {@code failure-rate}. Option
 * names may also be written in snake_case or camelCase, as the seed's keyword arguments were.
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
        Object response = option(options, "response");
        if (response != null) {
            builder.defaultResponse(String.valueOf(response));
        }
        if (option(options, "responses") instanceof Map<?, ?> responses) {
            builder.responses((Map<String, String>) responses);
        }
        Object cost = option(options, "cost-per-call");
        if (cost != null) {
            builder.costPerCall(new BigDecimal(String.valueOf(cost)));
        }
        Object latency = option(options, "latency-ms");
        if (latency != null) {
            builder.latency(Duration.ofMillis(Long.parseLong(String.valueOf(latency))));
        }
        Object failureRate = option(options, "failure-rate");
        if (failureRate != null) {
            builder.failureRate(Double.parseDouble(String.valueOf(failureRate)));
        }
        return builder.build();
    }

    /** The option under its kebab-case name, or its snake_case or camelCase spelling. */
    private static Object option(Map<String, ?> options, String kebab) {
        if (options.containsKey(kebab)) {
            return options.get(kebab);
        }
        if (options.containsKey(kebab.replace('-', '_'))) {
            return options.get(kebab.replace('-', '_'));
        }
        StringBuilder camel = new StringBuilder();
        for (String part : kebab.split("-")) {
            camel.append(camel.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return options.get(camel.toString());
    }
}
