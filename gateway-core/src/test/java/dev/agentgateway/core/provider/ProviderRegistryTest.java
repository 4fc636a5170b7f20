package dev.agentgateway.core.provider;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderRegistryTest {

    @Test
    void idsOfKnownProvidersAreNormalised() {
        ProviderRegistry registry = new ProviderRegistry(List.of(), Map.of());

        registry.register("OpenAI", MockLlmClient.create());

        assertThat(registry.ids()).containsExactly("openai");
        assertThat(registry.find(ProviderRegistry.normalizeId("OPENAI"))).isNotNull();
    }

    @Test
    void factoriesOnTheClassPathAreFoundAndTheirKeysFeedTheRedactor() {
        ProviderRegistry registry = new ProviderRegistry(List.of(), Map.of());

        registry.configure("mock", "sk-registry-key-000111", Map.of());

        assertThat(registry.contains("mock")).isTrue();
        assertThat(registry.redactor().redact("echo sk-registry-key-000111")).doesNotContain("sk-registry-key-000111");
    }

    @Test
    void aProviderWithoutAFactoryIsRefusedWithTheFix() {
        ProviderRegistry registry = new ProviderRegistry(List.of(), Map.of());

        assertThatThrownBy(() -> registry.configure("vllm", "key", Map.of())).isInstanceOf(ProviderNotFoundException.class)
                .hasMessageContaining("registerProvider(\"vllm\", client)");
    }
}
