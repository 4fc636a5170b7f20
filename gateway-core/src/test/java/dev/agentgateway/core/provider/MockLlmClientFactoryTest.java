package dev.agentgateway.core.provider;

import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MockLlmClientFactoryTest {

    @Test
    void configuredMockAnswersAndChargesAsTold() {
        Gateway gateway = Gateway.builder().build()
                .configureProvider("mock", null, Map.of("response", "Hello from mock!", "cost-per-call", "0.01"));
        LlmResponse response = gateway.call("agent", "mock", "mock-model", "hi");
        assertThat(response.content()).isEqualTo("Hello from mock!");
        assertThat(response.cost()).isEqualByComparingTo(new BigDecimal("0.01"));
    }

    @Test
    void seedStyleSnakeCaseOptionsAreUnderstood() {
        Gateway gateway = Gateway.builder().build()
                .configureProvider(LlmProvider.MOCK, null, Map.of("cost_per_call", "0.02", "responses", Map.of("weather", "Sunny")));
        LlmResponse response = gateway.call("agent", "mock", "mock-model", "What is the weather?");
        assertThat(response.content()).isEqualTo("Sunny");
        assertThat(response.cost()).isEqualByComparingTo(new BigDecimal("0.02"));
    }

    @Test
    void camelCaseOptionsAreUnderstood() {
        Gateway gateway = Gateway.builder().build().configureProvider("mock", null, Map.of("costPerCall", "0.03"));
        assertThat(gateway.call("agent", "mock", "m", "hi").cost()).isEqualByComparingTo(new BigDecimal("0.03"));
    }
}
