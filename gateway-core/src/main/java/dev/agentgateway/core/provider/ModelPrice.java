package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * USD per million tokens of one model: input, output, input read from the provider's prompt
 * cache, and input written to it. A cache price left {@code null} is the input price.
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion,
                         BigDecimal cacheWritePerMillion) {

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        cachedInputPerMillion = cachedInputPerMillion == null ? inputPerMillion : cachedInputPerMillion;
        cacheWritePerMillion = cacheWritePerMillion == null ? inputPerMillion : cacheWritePerMillion;
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0 || cachedInputPerMillion.signum() < 0
                || cacheWritePerMillion.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** A price without cache discounts or surcharges. */
    public ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
        this(inputPerMillion, outputPerMillion, null, null);
    }

    public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
        return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }

    /** A price with a cached-input price (cache writes at the input price). */
    public static ModelPrice of(String inputPerMillion, String outputPerMillion, String cachedInputPerMillion) {
        return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion),
                new BigDecimal(cachedInputPerMillion), null);
    }

    public ModelPrice withCacheWrite(String perMillion) {
        return new ModelPrice(inputPerMillion, outputPerMillion, cachedInputPerMillion, new BigDecimal(perMillion));
    }

    /** The cost of a call whose input was read from no cache. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        return cost(inputTokens, outputTokens, TokenDetails.NONE);
    }

    /**
     * The cost of a call: input read from the cache, written to it, and the rest at their prices;
     * output (reasoning included) at the output price.
     */
    public BigDecimal cost(long inputTokens, long outputTokens, TokenDetails details) {
        long cached = Math.min(details.cachedInputTokens(), inputTokens);
        long written = Math.min(details.cacheWriteTokens(), inputTokens - cached);
        BigDecimal micro = inputPerMillion.multiply(BigDecimal.valueOf(inputTokens - cached - written));
        // terms without tokens are skipped: most calls read nothing from a cache, and each term is four BigDecimals
        if (cached != 0) {
            micro = micro.add(cachedInputPerMillion.multiply(BigDecimal.valueOf(cached)));
        }
        if (written != 0) {
            micro = micro.add(cacheWritePerMillion.multiply(BigDecimal.valueOf(written)));
        }
        micro = micro.add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)));
        return micro.movePointLeft(6).stripTrailingZeros();
    }

    /** The most a call of at most these tokens can cost, whatever part of its input the cache reads or writes. */
    public BigDecimal maxCost(long inputTokens, long outputTokens) {
        BigDecimal input = inputPerMillion.max(cachedInputPerMillion).max(cacheWritePerMillion);
        return input.multiply(BigDecimal.valueOf(inputTokens)).add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)))
                .movePointLeft(6).stripTrailingZeros();
    }
}
