package dev.agentgateway.autoconfigure;

import dev.agentgateway.core.provider.LlmProvider;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.tools.AccessPolicy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value hints IDEs complete from stay in step with what the gateway knows: the provider ids of
 * {@link LlmProvider}, the models of the built-in {@link PriceTable}, the {@link AccessPolicy} values.
 */
class ConfigurationHintsTest {

    private static final List<String> PROVIDERS = Arrays.stream(LlmProvider.values()).map(LlmProvider::id).toList();

    @Test
    void defaultProviderIsCompletedWithEveryKnownProviderId() throws IOException {
        assertThat(values("agent-gateway.default-provider")).containsExactlyInAnyOrderElementsOf(PROVIDERS);
    }

    @Test
    void providerKeysAreCompletedWithEveryKnownProviderThatNeedsAConnection() throws IOException {
        assertThat(values("agent-gateway.providers.keys")).containsExactlyInAnyOrderElementsOf(
                PROVIDERS.stream().filter(id -> !id.equals(LlmProvider.MOCK.id())).toList());
    }

    @Test
    void defaultModelIsCompletedWithEveryPricedModel() throws IOException {
        assertThat(values("agent-gateway.default-model"))
                .containsExactlyInAnyOrderElementsOf(PriceTable.defaults().asMap().keySet());
    }

    @Test
    void pricingKeysAreCompletedWithEveryPricedModel() throws IOException {
        assertThat(values("agent-gateway.pricing.keys"))
                .containsExactlyInAnyOrderElementsOf(PriceTable.defaults().asMap().keySet());
    }

    @Test
    void defaultPolicyIsCompletedWithEveryPolicy() throws IOException {
        assertThat(values("agent-gateway.tool-access.default-policy")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(AccessPolicy.values()).map(policy -> policy.name().toLowerCase(Locale.ROOT)).toList());
    }

    @Test
    void hintsOfOpenSetsStillAllowAnyValue() throws IOException {
        for (String name : List.of("agent-gateway.default-provider", "agent-gateway.providers.keys",
                "agent-gateway.default-model", "agent-gateway.pricing.keys")) {
            assertThat(hint(name).path("providers").findValuesAsString("name")).as(name).contains("any");
        }
    }

    private static List<String> values(String name) throws IOException {
        List<String> values = new ArrayList<>();
        hint(name).path("values").forEach(value -> values.add(value.path("value").asString()));
        return values;
    }

    private static JsonNode hint(String name) throws IOException {
        var resources = ConfigurationHintsTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (InputStream in = resources.nextElement().openStream()) {
                for (JsonNode hint : JsonMapper.builder().build().readTree(in).path("hints")) {
                    if (name.equals(hint.path("name").asString())) {
                        return hint;
                    }
                }
            }
        }
        throw new AssertionError("no hint for " + name + " in the configuration metadata");
    }
}
