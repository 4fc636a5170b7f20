package dev.agentgateway.spring.agent;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What configuration says about agents ({@code agent-gateway.*}): the gateway's defaults under every
 * {@link Agent}, and each agent's own overrides laid over its annotation.
 *
 * @param defaultProvider      the provider of an agent that names none
 * @param defaultModel         the model of an agent that names none, or {@code null} for the provider's
 * @param defaultMaxIterations the tool-loop iterations of an agent that sets none
 * @param agents               overrides by agent id
 */
public record AgentSettings(String defaultProvider, String defaultModel, Integer defaultMaxIterations,
                            Map<String, Overrides> agents) {

    public AgentSettings {
        agents = agents == null ? Map.of() : Map.copyOf(agents);
    }

    /** One agent's settings from configuration; {@code null} where configuration says nothing. */
    public record Overrides(String provider, String model, String systemPrompt, List<String> allowedTools,
                            Integer maxSteps, BigDecimal maxBudget, Integer maxIterations, Double temperature,
                            Integer maxTokens) {

        /** No overrides. */
        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, null, null, null);
        }
    }
}
