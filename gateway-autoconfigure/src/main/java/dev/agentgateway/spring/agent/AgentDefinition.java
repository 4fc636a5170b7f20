package dev.agentgateway.spring.agent;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;

import java.beans.Introspector;
import java.math.BigDecimal;
import java.util.List;

/**
 * An agent as declared by {@link Agent} and overridden by {@code agent-gateway.agents.<id>.*}.
 *
 * @param tools the tools the agent may be offered: those its annotation lists (code narrows), else its
 *              {@code allowed-tools}; {@code null} when neither names any. Each is offered only while
 *              the tool access rules permit it.
 */
public record AgentDefinition(String id, Class<?> type, String provider, String model, String systemPrompt,
                              List<String> tools, Integer maxSteps, BigDecimal maxBudget, Integer maxIterations,
                              Double temperature, Integer maxTokens) {

    public static String defaultId(Class<?> type) {
        return Introspector.decapitalize(type.getSimpleName());
    }

    static AgentDefinition of(Class<?> type, Agent agent) {
        String id = agent.value().isBlank() ? defaultId(type) : agent.value();
        BigDecimal budget;
        try {
            budget = agent.maxBudget().isBlank() ? null : new BigDecimal(agent.maxBudget());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("@Agent(maxBudget = \"" + agent.maxBudget() + "\") on " + type.getName()
                    + " is not a number", e);
        }
        return new AgentDefinition(id, type, blankToNull(agent.provider()), blankToNull(agent.model()),
                blankToNull(agent.systemPrompt()), agent.tools().length == 0 ? null : List.of(agent.tools()),
                agent.maxSteps() < 0 ? null : agent.maxSteps(), budget,
                agent.maxIterations() < 1 ? null : agent.maxIterations(),
                agent.temperature() < 0 ? null : agent.temperature(), agent.maxTokens() < 1 ? null : agent.maxTokens());
    }

    /** This definition with YAML settings laid over it, and the gateway defaults under it. */
    AgentDefinition resolve(AgentGatewayProperties.AgentSettings yaml, AgentGatewayProperties properties) {
        AgentGatewayProperties.AgentSettings o = yaml == null ? new AgentGatewayProperties.AgentSettings() : yaml;
        String resolvedProvider = first(o.getProvider(), provider, properties.getDefaultProvider());
        return new AgentDefinition(id, type, resolvedProvider, first(o.getModel(), model, properties.getDefaultModel()),
                first(o.getSystemPrompt(), systemPrompt, null), first(tools, o.getAllowedTools(), null),
                first(o.getMaxSteps(), maxSteps, null), first(o.getMaxBudget(), maxBudget, null),
                first(o.getMaxIterations(), maxIterations, properties.getToolExecution().getMaxIterations()),
                first(o.getTemperature(), temperature, null), first(o.getMaxTokens(), maxTokens, null));
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
