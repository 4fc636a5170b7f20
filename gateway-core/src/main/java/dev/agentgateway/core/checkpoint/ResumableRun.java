package dev.agentgateway.core.checkpoint;

import dev.agentgateway.core.provider.RunTotals;
import dev.agentgateway.core.provider.ToolSpec;

import java.util.List;

/**
 * What a tool-calling run needs to go on after a crash: who runs it, against which model,
 * with which tools, and how far it has come.
 *
 * @param iteration        the provider calls the run has made so far that count against {@code maxIterations}
 * @param awaitingApproval the tool calls of the current turn the run is paused for (durable approvals), by id; empty
 *                         when it is not paused
 * @param totals           what the run cost up to the checkpoint (so a resumed run's answer carries the whole run's)
 */
public record ResumableRun(String agentId, String provider, String model, List<ToolSpec> tools, Double temperature,
                           Integer maxTokens, String tenant, int maxIterations, int iteration, List<String> awaitingApproval,
                           RunTotals totals) {

    public ResumableRun {
        tools = tools == null ? List.of() : List.copyOf(tools);
        awaitingApproval = awaitingApproval == null ? List.of() : List.copyOf(awaitingApproval);
        totals = totals == null ? RunTotals.NONE : totals;
    }

    /** A run that is not paused for approval. */
    public ResumableRun(String agentId, String provider, String model, List<ToolSpec> tools, Double temperature,
                        Integer maxTokens, String tenant, int maxIterations, int iteration) {
        this(agentId, provider, model, tools, temperature, maxTokens, tenant, maxIterations, iteration, List.of());
    }

    /** A run with nothing spent yet (and one checkpointed before runs kept their totals). */
    public ResumableRun(String agentId, String provider, String model, List<ToolSpec> tools, Double temperature,
                        Integer maxTokens, String tenant, int maxIterations, int iteration, List<String> awaitingApproval) {
        this(agentId, provider, model, tools, temperature, maxTokens, tenant, maxIterations, iteration, awaitingApproval,
                RunTotals.NONE);
    }

    public ResumableRun atIteration(int newIteration) {
        return new ResumableRun(agentId, provider, model, tools, temperature, maxTokens, tenant, maxIterations, newIteration,
                awaitingApproval, totals);
    }

    /** The run paused for these tool calls' approvals (an empty list: not paused). */
    public ResumableRun awaiting(List<String> toolCallIds) {
        return new ResumableRun(agentId, provider, model, tools, temperature, maxTokens, tenant, maxIterations, iteration,
                toolCallIds, totals);
    }

    public ResumableRun withTotals(RunTotals newTotals) {
        return new ResumableRun(agentId, provider, model, tools, temperature, maxTokens, tenant, maxIterations, iteration,
                awaitingApproval, newTotals);
    }

    /** True while the run is paused until a person decides its pending approvals. */
    public boolean awaitsApproval() {
        return !awaitingApproval.isEmpty();
    }
}
