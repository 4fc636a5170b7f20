package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a whole tool-calling run cost: its model calls (each one step), their tokens and cost, and
 * its tool calls with what the priced ones cost. The same sums the call history and the tool-call
 * history hold for the run.
 *
 * @param steps        model calls that were answered and charged
 * @param modelCost    USD the model calls cost
 * @param toolCalls    tool calls recorded for the run, whatever their outcome
 * @param toolCost     USD the tools' cost per call came to
 */
public record RunTotals(long steps, long inputTokens, long outputTokens, BigDecimal modelCost, long toolCalls,
                        BigDecimal toolCost) {

    /** A run that has not called anything yet. */
    public static final RunTotals NONE = new RunTotals(0, 0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

    public RunTotals {
        modelCost = Objects.requireNonNullElse(modelCost, BigDecimal.ZERO);
        toolCost = Objects.requireNonNullElse(toolCost, BigDecimal.ZERO);
    }

    /** The totals of one model call on its own. */
    public static RunTotals of(LlmResponse response) {
        return NONE.plusModelCall(response.cost(), response.inputTokens(), response.outputTokens());
    }

    /** Model and tools together. */
    public BigDecimal cost() {
        return modelCost.add(toolCost);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public RunTotals plusModelCall(BigDecimal cost, long input, long output) {
        return new RunTotals(steps + 1, inputTokens + input, outputTokens + output,
                cost == null ? modelCost : modelCost.add(cost), toolCalls, toolCost);
    }

    public RunTotals plusToolCall(BigDecimal cost) {
        return new RunTotals(steps, inputTokens, outputTokens, modelCost, toolCalls + 1,
                cost == null ? toolCost : toolCost.add(cost));
    }

    /** A tool's cost charged after its call was counted. */
    public RunTotals plusToolCost(BigDecimal cost) {
        return new RunTotals(steps, inputTokens, outputTokens, modelCost, toolCalls, toolCost.add(cost));
    }
}
