package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.Objects;

/** USD per million input and output tokens of one model. */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
        return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }

    public BigDecimal cost(long inputTokens, long outputTokens) {
        BigDecimal micro = inputPerMillion.multiply(BigDecimal.valueOf(inputTokens))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)));
        return micro.movePointLeft(6).stripTrailingZeros();
    }
}
