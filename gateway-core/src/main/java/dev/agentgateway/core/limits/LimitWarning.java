package dev.agentgateway.core.limits;

import java.math.BigDecimal;

/** A limit has been used up to the warning threshold. Fired once per limit and scope. */
public record LimitWarning(LimitKind kind, LimitScope scope, BigDecimal current, BigDecimal limit, double threshold) {

    /** Share of the limit used, from 0 to 1. */
    public double usedShare() {
        return limit.signum() == 0 ? 1.0 : current.doubleValue() / limit.doubleValue();
    }
}
