package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.List;

/**
 * A model's answer. {@code cost} is in USD; a client may leave it {@code null} and let the
 * gateway price the tokens from its price table.
 */
public record LlmResponse(String content, List<ToolCall> toolCalls, long inputTokens, long outputTokens,
                          BigDecimal cost, String model, String provider, long latencyMs, String finishReason) {

    /** Finish reason of a tool-calling run stopped because it reached its iteration limit. */
    public static final String FINISH_MAX_ITERATIONS = "max_iterations";

    public LlmResponse {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
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

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** True when a tool-calling run returned this response because it ran out of iterations. */
    public boolean stoppedByMaxIterations() {
        return FINISH_MAX_ITERATIONS.equals(finishReason);
    }

    public LlmResponse withCost(BigDecimal newCost) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, newCost, model, provider, latencyMs, finishReason);
    }

    public LlmResponse withOrigin(String newProvider, String newModel, long newLatencyMs) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, cost, newModel, newProvider, newLatencyMs, finishReason);
    }

    public LlmResponse withFinishReason(String newFinishReason) {
        return new LlmResponse(content, toolCalls, inputTokens, outputTokens, cost, model, provider, latencyMs, newFinishReason);
    }

    /** The assistant message that carries this response back into the conversation. */
    public LlmMessage toAssistantMessage() {
        return LlmMessage.assistant(content, toolCalls);
    }
}
