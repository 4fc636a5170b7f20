package dev.agentgateway.core.limits;

import java.math.BigDecimal;

/**
 * What the gateway has spent so far: a snapshot, consistent in itself.
 *
 * @param callCount   calls that reached the provider and succeeded
 * @param failedCalls calls that reached the provider and failed
 */
public record ExecutionMetrics(BigDecimal totalCost, long totalSteps, long inputTokens, long outputTokens,
                               double elapsedSeconds, long callCount, long failedCalls) {

    /** Always {@code inputTokens + outputTokens}. */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
