package dev.agentgateway.spring.agent;

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
    AgentDefinition resolve(AgentSettings.Overrides yaml, AgentSettings properties) {
        AgentSettings.Overrides o = yaml == null ? AgentSettings.Overrides.none() : yaml;
        String resolvedProvider = first(o.provider(), provider, properties.defaultProvider());
        return new AgentDefinition(id, type, resolvedProvider, first(o.model(), model, properties.defaultModel()),
                first(o.systemPrompt(), systemPrompt, null), first(tools, o.allowedTools(), null),
                first(o.maxSteps(), maxSteps, null), first(o.maxBudget(), maxBudget, null),
                first(o.maxIterations(), maxIterations, properties.defaultMaxIterations()),
                first(o.temperature(), temperature, null), first(o.maxTokens(), maxTokens, null));
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
