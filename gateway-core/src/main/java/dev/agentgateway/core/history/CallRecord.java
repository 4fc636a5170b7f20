package dev.agentgateway.core.history;

import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One provider call, successful or not: the seed's {@code CallRecord} plus the scope it ran in.
 *
 * @param response  the answer, or {@code null} when the provider failed
 * @param error     what went wrong, or {@code null}
 * @param errorType the simple name of the exception, or {@code null}
 * @param cost      USD charged for the call (zero when it failed)
 * @param priced    false when the model had no price, so {@code cost} is zero for want of one
 * @param attempt   1 for the first attempt; higher for retries and fallbacks
 */
public record CallRecord(String callId, String agentId, String provider, String model, LlmRequest request,
                         LlmResponse response, String error, Instant timestamp, boolean success, BigDecimal cost,
                         double latencyMs, String workflowId, Integer step, String tenant, String errorType,
                         boolean priced, int attempt) {

    public long inputTokens() {
        return response == null ? 0 : response.inputTokens();
    }

    public long outputTokens() {
        return response == null ? 0 : response.outputTokens();
    }
}
