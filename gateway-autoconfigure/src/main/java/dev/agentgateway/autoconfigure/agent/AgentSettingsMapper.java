package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.agent.AgentSettings;
import dev.agentgateway.spring.agent.TenantSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/** The settings of agents and of their tenant resolution, read from {@code agent-gateway.*}. */
public final class AgentSettingsMapper {

    private AgentSettingsMapper() {
    }

    public static AgentSettings agents(AgentGatewayProperties properties) {
        Map<String, AgentSettings.Overrides> agents = new LinkedHashMap<>();
        properties.getAgents().forEach((id, agent) -> {
            if (agent != null) {
                agents.put(id, new AgentSettings.Overrides(agent.getProvider(), agent.getModel(), agent.getSystemPrompt(),
                        agent.getAllowedTools(), agent.getMaxSteps(), agent.getMaxBudget(), agent.getMaxIterations(),
                        agent.getTemperature(), agent.getMaxTokens()));
            }
        });
        return new AgentSettings(properties.getDefaultProvider(), properties.getDefaultModel(),
                properties.getToolExecution().getMaxIterations(), agents);
    }

    public static TenantSettings tenant(AgentGatewayProperties.TenantResolution tenant) {
        return new TenantSettings(tenant.getFromHeader(), tenant.isFromPrincipal(), tenant.isRequired());
    }
}
