package dev.agentgateway.core.checkpoint;

import dev.agentgateway.core.provider.ToolSpec;

import java.util.List;

/**
 * What a tool-calling run needs to go on after a crash: who runs it, against which model,
 * with which tools, and how far it has come.
 *
 * @param iteration the provider calls the run has made so far
 */
public record ResumableRun(String agentId, String provider, String model, List<ToolSpec> tools, Double temperature,
                           Integer maxTokens, String tenant, int maxIterations, int iteration) {

    public ResumableRun {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ResumableRun atIteration(int newIteration) {
        return new ResumableRun(agentId, provider, model, tools, temperature, maxTokens, tenant, maxIterations, newIteration);
    }
}
