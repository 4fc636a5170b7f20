package dev.agentgateway.core.provider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Prices by model name, exact or by the longest known prefix. */
class PriceTableTest {

    private final PriceTable table = PriceTable.defaults();

    @Test
    void exactNameIsFound() {
        assertThat(table.find("gpt-4o")).contains(ModelPrice.of("2.50", "10.00", "1.25"));
    }

    @Test
    void datedSnapshotIsPricedAsItsFamily() {
        assertThat(table.find("gpt-4o-2024-08-06")).contains(ModelPrice.of("2.50", "10.00", "1.25"));
        assertThat(table.find("claude-sonnet-4-20250514")).contains(ModelPrice.of("3.00", "15.00", "0.30").withCacheWrite("3.75"));
    }

    @Test
    void longestKnownPrefixWins() {
        assertThat(table.find("gpt-4o-mini-2024-07-18")).contains(ModelPrice.of("0.15", "0.60", "0.075"));
        assertThat(table.find("gemini-2.5-flash-lite-preview")).contains(ModelPrice.of("0.10", "0.40", "0.01"));
        assertThat(table.find("claude-haiku-4-5-20251001")).contains(ModelPrice.of("1.00", "5.00", "0.10").withCacheWrite("1.25"));
    }

    @Test
    void providerPrefixAndCaseAreIgnored() {
        assertThat(table.find("openai/GPT-4o")).contains(ModelPrice.of("2.50", "10.00", "1.25"));
        assertThat(table.find("  gpt-5-mini ")).contains(ModelPrice.of("0.25", "2.00", "0.025"));
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
        assertThat(table.find("gpt-4o")).contains(ModelPrice.of("2.50", "10.00", "1.25"));
        assertThat(table.find("house-model")).isEmpty();
    }

    @Test
    void specificOverrideBeatsTheFamilyPrice() {
        PriceTable custom = table.with("gpt-4o-2024-05-13", ModelPrice.of("5.00", "15.00"));

        assertThat(custom.find("gpt-4o-2024-05-13")).contains(ModelPrice.of("5.00", "15.00"));
        assertThat(custom.find("gpt-4o-2024-08-06")).contains(ModelPrice.of("2.50", "10.00", "1.25"));
    }

    @Test
    void cachedInputIsPricedAtTheCachedPrice() {
        // gpt-4o: 1000 input of which 800 cached, 100 output: 200 * $2.50 + 800 * $1.25 + 100 * $10.00 per million
        assertThat(table.cost("gpt-4o", 1000, 100, new TokenDetails(800, 0, 0)).orElseThrow()).isEqualByComparingTo("0.0025");
    }

    @Test
    void cacheWritesArePricedAtTheCacheWritePrice() {
        // claude-sonnet-4-5: 1000 input, 600 written to the cache, 400 read from it: 600 * $3.75 + 400 * $0.30 per million
        assertThat(table.cost("claude-sonnet-4-5", 1000, 0, new TokenDetails(400, 600, 0)).orElseThrow())
                .isEqualByComparingTo("0.00237");
    }

    @Test
    void reasoningTokensArePartOfTheOutputAndNotChargedTwice() {
        assertThat(table.cost("o3", 0, 1000, new TokenDetails(0, 0, 900)).orElseThrow())
                .isEqualByComparingTo(table.cost("o3", 0, 1000).orElseThrow());
    }

    @Test
    void cachedCountsLargerThanTheInputAreNotChargedBeyondIt() {
        assertThat(table.cost("gpt-4o", 100, 0, new TokenDetails(500, 500, 0)).orElseThrow()).isEqualByComparingTo("0.000125");
    }

    @Test
    void theUpperBoundChargesAllInputAtTheDearestInputPrice() {
        ModelPrice sonnet = table.find("claude-sonnet-4-5").orElseThrow();

        // 1000 input at the cache-write price of $3.75, 100 output at $15 per million
        assertThat(sonnet.maxCost(1000, 100)).isEqualByComparingTo("0.00525");
        assertThat(sonnet.maxCost(1000, 100)).isGreaterThanOrEqualTo(sonnet.cost(1000, 100, new TokenDetails(0, 1000, 0)));
    }

    @Test
    void aCachePriceLeftOutIsTheInputPrice() {
        ModelPrice price = new ModelPrice(new java.math.BigDecimal("2"), new java.math.BigDecimal("4"), null, null);

        assertThat(price.cachedInputPerMillion()).isEqualByComparingTo("2");
        assertThat(price.cacheWritePerMillion()).isEqualByComparingTo("2");
    }
}
