package dev.agentgateway.core.limits;

import java.math.BigDecimal;

/**
 * The usage of one scope: what is committed (finished calls) and what is reserved (calls in
 * flight). Limits are checked against committed plus reserved.
 */
public record ScopeUsage(LimitScope scope, long committedSteps, long reservedSteps, BigDecimal committedCost,
                         BigDecimal reservedCost, long inputTokens, long outputTokens, long failedCalls) {

    public static ScopeUsage empty(LimitScope scope) {
        return new ScopeUsage(scope, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, 0);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
