package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-million token prices by model name. A model is found by its exact name, else by the
 * longest known name it starts with, so dated snapshots ({@code gpt-4o-2024-08-06}) price as
 * their family. Immutable: {@link #with} returns a new table.
 */
public final class PriceTable {

    /**
     * Published list prices (USD per million tokens, standard tier, prompts under the long-context
     * threshold) as of November 2026: input, output, cached input, and (Anthropic) a write to the
     * five-minute cache. Override any of them with {@link #with}.
     */
    private static final Map<String, ModelPrice> PUBLISHED = Map.ofEntries(
            // OpenAI
            Map.entry("gpt-5", ModelPrice.of("1.25", "10.00", "0.125")),
            Map.entry("gpt-5-mini", ModelPrice.of("0.25", "2.00", "0.025")),
            Map.entry("gpt-5-nano", ModelPrice.of("0.05", "0.40", "0.005")),
            Map.entry("gpt-4.1", ModelPrice.of("2.00", "8.00", "0.50")),
            Map.entry("gpt-4.1-mini", ModelPrice.of("0.40", "1.60", "0.10")),
            Map.entry("gpt-4.1-nano", ModelPrice.of("0.10", "0.40", "0.025")),
            Map.entry("gpt-4o", ModelPrice.of("2.50", "10.00", "1.25")),
            Map.entry("gpt-4o-mini", ModelPrice.of("0.15", "0.60", "0.075")),
            Map.entry("o3", ModelPrice.of("2.00", "8.00", "0.50")),
            Map.entry("o4-mini", ModelPrice.of("1.10", "4.40", "0.275")),
            // Anthropic
            Map.entry("claude-opus-4-5", ModelPrice.of("5.00", "25.00", "0.50").withCacheWrite("6.25")),
            Map.entry("claude-opus-4-1", ModelPrice.of("15.00", "75.00", "1.50").withCacheWrite("18.75")),
            Map.entry("claude-sonnet-4-5", ModelPrice.of("3.00", "15.00", "0.30").withCacheWrite("3.75")),
            Map.entry("claude-sonnet-4", ModelPrice.of("3.00", "15.00", "0.30").withCacheWrite("3.75")),
            Map.entry("claude-haiku-4-5", ModelPrice.of("1.00", "5.00", "0.10").withCacheWrite("1.25")),
            Map.entry("claude-3-5-haiku", ModelPrice.of("0.80", "4.00", "0.08").withCacheWrite("1.00")),
            // Google Gemini
            Map.entry("gemini-3-pro", ModelPrice.of("2.00", "12.00", "0.20")),
            Map.entry("gemini-2.5-pro", ModelPrice.of("1.25", "10.00", "0.125")),
            Map.entry("gemini-2.5-flash", ModelPrice.of("0.30", "2.50", "0.03")),
            Map.entry("gemini-2.5-flash-lite", ModelPrice.of("0.10", "0.40", "0.01")),
            Map.entry("gemini-2.0-flash", ModelPrice.of("0.10", "0.40", "0.025")),
            // xAI Grok
            Map.entry("grok-4", ModelPrice.of("3.00", "15.00", "0.75")),
            Map.entry("grok-4-fast", ModelPrice.of("0.20", "0.50", "0.05")),
            Map.entry("grok-3", ModelPrice.of("3.00", "15.00", "0.75")),
            Map.entry("grok-3-mini", ModelPrice.of("0.30", "0.50", "0.075")),
            Map.entry("grok-code-fast-1", ModelPrice.of("0.20", "1.50", "0.02")));

    private static final PriceTable DEFAULTS = new PriceTable(PUBLISHED);
    private static final PriceTable EMPTY = new PriceTable(Map.of());

    private final Map<String, ModelPrice> prices;
    /** Resolved look-ups by the model name as given: the table is immutable, and every call prices its model twice. */
    private final Map<String, Optional<ModelPrice>> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    private PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The published prices of the main OpenAI, Anthropic, Gemini and Grok models. */
    public static PriceTable defaults() {
        return DEFAULTS;
    }

    public static PriceTable empty() {
        return EMPTY;
    }

    /** A table with {@code model}'s price set (added or replaced). */
    public PriceTable with(String model, ModelPrice price) {
        Map<String, ModelPrice> copy = new HashMap<>(prices);
        copy.put(normalize(model), Objects.requireNonNull(price, "price"));
        return new PriceTable(copy);
    }

    public PriceTable withAll(Map<String, ModelPrice> overrides) {
        PriceTable table = this;
        for (Map.Entry<String, ModelPrice> entry : overrides.entrySet()) {
            table = table.with(entry.getKey(), entry.getValue());
        }
        return table;
    }

    /** The price of {@code model}: exact name first, then the longest known prefix. */
    public Optional<ModelPrice> find(String model) {
        if (model == null) {
            return Optional.empty();
        }
        Optional<ModelPrice> known = resolved.get(model);
        if (known != null) {
            return known;
        }
        Optional<ModelPrice> price = lookUp(model);
        if (resolved.size() < 10_000) {
            resolved.put(model, price);
        }
        return price;
    }

    private Optional<ModelPrice> lookUp(String model) {
        String name = normalize(model);
        ModelPrice exact = prices.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        String best = null;
        for (String known : prices.keySet()) {
            if (name.startsWith(known) && (best == null || known.length() > best.length())) {
                best = known;
            }
        }
        return Optional.ofNullable(best == null ? null : prices.get(best));
    }

    /** The cost of a call, or empty when the model has no price. */
    public Optional<BigDecimal> cost(String model, long inputTokens, long outputTokens) {
        return find(model).map(price -> price.cost(inputTokens, outputTokens));
    }

    /** The cost of a call with cached input priced as such, or empty when the model has no price. */
    public Optional<BigDecimal> cost(String model, long inputTokens, long outputTokens, TokenDetails details) {
        return find(model).map(price -> price.cost(inputTokens, outputTokens, details));
    }

    public Map<String, ModelPrice> asMap() {
        return prices;
    }

    private static String normalize(String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        return slash >= 0 ? name.substring(slash + 1) : name;
    }
}
