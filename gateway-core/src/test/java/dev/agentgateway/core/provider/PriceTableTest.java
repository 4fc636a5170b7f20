package dev.agentgateway.core.provider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Prices by model name, exact or by the longest known prefix. */
class PriceTableTest {

    private final PriceTable table = PriceTable.defaults();

    @Test
    void exactNameIsFound() {
        assertThat(table.find("gpt-4o")).contains(ModelPrice.of("2.50", "10.00"));
    }

    @Test
    void datedSnapshotIsPricedAsItsFamily() {
        assertThat(table.find("gpt-4o-2024-08-06")).contains(ModelPrice.of("2.50", "10.00"));
        assertThat(table.find("claude-sonnet-4-20250514")).contains(ModelPrice.of("3.00", "15.00"));
    }

    @Test
    void longestKnownPrefixWins() {
        assertThat(table.find("gpt-4o-mini-2024-07-18")).contains(ModelPrice.of("0.15", "0.60"));
        assertThat(table.find("gemini-2.5-flash-lite-preview")).contains(ModelPrice.of("0.10", "0.40"));
        assertThat(table.find("claude-haiku-4-5-20251001")).contains(ModelPrice.of("1.00", "5.00"));
    }

    @Test
    void providerPrefixAndCaseAreIgnored() {
        assertThat(table.find("openai/GPT-4o")).contains(ModelPrice.of("2.50", "10.00"));
        assertThat(table.find("  gpt-5-mini ")).contains(ModelPrice.of("0.25", "2.00"));
    }

    @Test
    void unknownModelHasNoPrice() {
        assertThat(table.find("llama-3.1-8b")).isEmpty();
        assertThat(table.find(null)).isEmpty();
        assertThat(table.cost("llama-3.1-8b", 1000, 1000)).isEmpty();
        assertThat(PriceTable.empty().find("gpt-4o")).isEmpty();
    }

    @Test
    void nameThatOnlyContainsAKnownModelIsNotAPrefixMatch() {
        assertThat(table.find("my-gpt-4o")).isEmpty();
    }

    @Test
    void costIsPerMillionTokens() {
        assertThat(table.cost("gpt-4o", 1_000_000, 1_000_000).orElseThrow()).isEqualByComparingTo("12.50");
        assertThat(table.cost("gpt-4o", 1000, 500).orElseThrow()).isEqualByComparingTo("0.0075");
        assertThat(ModelPrice.of("0.15", "0.60").cost(1, 1)).isEqualByComparingTo("0.00000075");
    }

    @Test
    void withAddsOrReplacesAPriceWithoutChangingTheOriginal() {
        PriceTable custom = table.with("gpt-4o", ModelPrice.of("1", "2")).with("house-model", ModelPrice.of("3", "4"));

        assertThat(custom.find("gpt-4o-2024-08-06")).contains(ModelPrice.of("1", "2"));
        assertThat(custom.find("house-model-v2")).contains(ModelPrice.of("3", "4"));
        assertThat(table.find("gpt-4o")).contains(ModelPrice.of("2.50", "10.00"));
        assertThat(table.find("house-model")).isEmpty();
    }

    @Test
    void specificOverrideBeatsTheFamilyPrice() {
        PriceTable custom = table.with("gpt-4o-2024-05-13", ModelPrice.of("5.00", "15.00"));

        assertThat(custom.find("gpt-4o-2024-05-13")).contains(ModelPrice.of("5.00", "15.00"));
        assertThat(custom.find("gpt-4o-2024-08-06")).contains(ModelPrice.of("2.50", "10.00"));
    }
}
