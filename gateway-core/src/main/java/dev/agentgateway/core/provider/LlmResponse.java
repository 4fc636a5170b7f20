package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.List;

/**
 * A model's answer. {@code cost} is in USD; a client may leave it {@code null} and let the
 * gateway price the tokens from its price table. {@code inputTokens} counts all input, cached
 * included; {@code outputTokens} all output, reasoning included; {@code tokenDetails} says which
 * parts were cached or reasoning, where the provider reports it.
 *
 * <p>The answer of a tool-calling run ({@code callWithTools}, {@code resume}, {@code streamWithTools}) is
 * its last model call's, with the whole run's figures in {@code runTotals}.
 *
 * @param runTotals what the whole tool-calling run cost (model calls, tokens, tool calls), on the answer of
 *                  such a run; {@code null} on the answer of one call ({@link RunTotals#of} gives its figures)
 */
public record LlmResponse(String content, List<ToolCall> toolCalls, long inputTokens, long outputTokens,
                          BigDecimal cost, String model, String provider, long latencyMs, String finishReason,
                          TokenDetails tokenDetails, RunTotals runTotals) {

    /** Finish reason of a tool-calling run stopped because it reached its iteration limit. */
    public static final String FINISH_MAX_ITERATIONS = "max_iterations";

    public LlmResponse {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        tokenDetails = tokenDetails == null ? TokenDetails.NONE : tokenDetails;
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** An answer of one model call. */
    public LlmResponse(String content, List<ToolCall> toolCalls, long inputTokens, long outputTokens, BigDecimal cost,
                       String model, String provider, long latencyMs, String finishReason, TokenDetails tokenDetails) {
        this(content, toolCalls, inputTokens, outputTokens, cost, model, provider, latencyMs, finishReason, tokenDetails, null);
    }

    /** An answer without cache or reasoning details. */
    public LlmResponse(String content, List<ToolCall> toolCalls, long inputTokens, long outputTokens, BigDecimal cost,
                       String model, String provider, long latencyMs, String finishReason) {
        this(content, toolCalls, inputTokens, outputTokens, cost, model, provider, latencyMs, finishReason, TokenDetails.NONE);
    }

    public static LlmResponse text(String content, long inputTokens, long outputTokens) {
        return new LlmResponse(content, List.of(), inputTokens, outputTokens, null, null, null, 0, "stop");
    }

    public static LlmResponse toolCalls(List<ToolCall> toolCalls, long inputTokens, long outputTokens) {
        return new LlmResponse(null, toolCalls, inputTokens, outputTokens, null, null, null, 0, "tool_calls");
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    /** The same answer with the cached and reasoning parts of its token counts. */
    public LlmResponse withTokenDetails(TokenDetails details) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, cost, model, provider, latencyMs, finishReason,
                details, runTotals);
    }

    /** The same answer carrying the totals of the run it ends. */
    public LlmResponse withRunTotals(RunTotals totals) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, cost, model, provider, latencyMs, finishReason,
                tokenDetails, totals);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** True when a tool-calling run returned this response because it ran out of iterations. */
    public boolean stoppedByMaxIterations() {
        return FINISH_MAX_ITERATIONS.equals(finishReason);
    }

    public LlmResponse withCost(BigDecimal newCost) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, newCost, model, provider, latencyMs, finishReason,
                tokenDetails, runTotals);
    }

    public LlmResponse withOrigin(String newProvider, String newModel, long newLatencyMs) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, cost, newModel, newProvider, newLatencyMs, finishReason,
                tokenDetails, runTotals);
    }

    public LlmResponse withFinishReason(String newFinishReason) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, cost, model, provider, latencyMs, newFinishReason,
                tokenDetails, runTotals);
    }

    /** The assistant message that carries this response back into the conversation. */
    public LlmMessage toAssistantMessage() {
        return LlmMessage.assistant(content, toolCalls);
    }
}
