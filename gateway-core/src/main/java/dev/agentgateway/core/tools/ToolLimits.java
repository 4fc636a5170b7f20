package dev.agentgateway.core.tools;

import java.math.BigDecimal;

/**
 * The limits of one tool (or of every tool a name pattern matches, counted together): how often it
 * may be called in one run and by one agent, what each call costs, whether its turns count as
 * iterations of the run, and how large a result may go back to the model. A call past a limit is
 * not run: the model gets {@code "tool limit reached: …"} as its result and the call is recorded as
 * {@link ToolCallOutcome#LIMIT_REACHED}.
 *
 * @param maxCallsPerRun   calls in one tool-calling run, or {@code null} for no limit
 * @param maxCallsPerAgent calls by one agent over all its runs, counted by this gateway instance since its start or
 *                         last reset, or {@code null} for no limit
 * @param costPerCall      USD each call costs, reserved on the call's scopes before the tool runs and committed once it
 *                         ran, as a model call's cost is, or {@code null} for none
 * @param exemptFromSteps  whether a turn of only exempt tools leaves the run's iteration count as it was (cheap polling
 *                         tools); needs {@code maxCallsPerRun} so the run stays bounded
 * @param maxResultSize    characters of a result sent to the model before it is cut, or {@code null} for the gateway's
 *                         default
 */
public record ToolLimits(Integer maxCallsPerRun, Integer maxCallsPerAgent, BigDecimal costPerCall, boolean exemptFromSteps,
                         Integer maxResultSize) {

    private static final ToolLimits NONE = new ToolLimits(null, null, null, false, null);

    public ToolLimits {
        positive("maxCallsPerRun", maxCallsPerRun);
        positive("maxCallsPerAgent", maxCallsPerAgent);
        positive("maxResultSize", maxResultSize);
        if (costPerCall != null && costPerCall.signum() < 0) {
            throw new IllegalArgumentException("costPerCall must not be negative, was " + costPerCall);
        }
        if (exemptFromSteps && maxCallsPerRun == null) {
            throw new IllegalArgumentException("a tool exempt from the run's steps needs maxCallsPerRun, "
                    + "so that a model polling it cannot run for ever");
        }
    }

    /** No limit at all. */
    public static ToolLimits none() {
        return NONE;
    }

    public ToolLimits withMaxCallsPerRun(Integer calls) {
        return new ToolLimits(calls, maxCallsPerAgent, costPerCall, exemptFromSteps, maxResultSize);
    }

    public ToolLimits withMaxCallsPerAgent(Integer calls) {
        return new ToolLimits(maxCallsPerRun, calls, costPerCall, exemptFromSteps, maxResultSize);
    }

    public ToolLimits withCostPerCall(BigDecimal cost) {
        return new ToolLimits(maxCallsPerRun, maxCallsPerAgent, cost, exemptFromSteps, maxResultSize);
    }

    public ToolLimits withCostPerCall(String cost) {
        return withCostPerCall(new BigDecimal(cost));
    }

    public ToolLimits withExemptFromSteps() {
        return new ToolLimits(maxCallsPerRun, maxCallsPerAgent, costPerCall, true, maxResultSize);
    }

    public ToolLimits withMaxResultSize(Integer characters) {
        return new ToolLimits(maxCallsPerRun, maxCallsPerAgent, costPerCall, exemptFromSteps, characters);
    }

    /** Whether a call costs money. */
    public boolean charged() {
        return costPerCall != null && costPerCall.signum() > 0;
    }

    private static void positive(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
