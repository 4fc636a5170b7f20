package dev.agentgateway.autoconfigure.config;

import dev.agentgateway.spring.config.GatewayConfigurationException;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.agent.AgentDefinition;
import dev.agentgateway.spring.agent.AgentRegistry;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.provider.LlmProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * At start-up, once the gateway and its providers exist: every provider the configuration or an
 * {@code @Agent} names (the default provider, each agent's, each fallback) must be one the
 * gateway has, or start-up stops listing the ones it has. Otherwise the first call would fail.
 */
public class ProviderNamesCheck implements SmartInitializingSingleton {

    private final ObjectProvider<Gateway> gateway;
    private final AgentGatewayProperties properties;
    private final ObjectProvider<ResilienceProperties> resilience;
    private final ObjectProvider<AgentRegistry> agents;
    private final Environment environment;

    public ProviderNamesCheck(ObjectProvider<Gateway> gateway, AgentGatewayProperties properties,
                              ObjectProvider<ResilienceProperties> resilience, ObjectProvider<AgentRegistry> agents,
                              Environment environment) {
        this.gateway = gateway;
        this.properties = properties;
        this.resilience = resilience;
        this.agents = agents;
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Gateway bean = gateway.getIfAvailable();
        if (bean == null) {
            return;
        }
        Set<String> known = new TreeSet<>(bean.providerIds());
        List<String> problems = new ArrayList<>();
        if (environment.containsProperty("agent-gateway.default-provider")) { // the built-in default may be replaced with the Gateway bean
            check(problems, known, property("agent-gateway.default-provider"), properties.getDefaultProvider());
        }
        properties.getAgents().forEach((id, agent) -> checkAgent(problems, known, id, agent));
        agents.ifAvailable(registry -> registry.all().forEach(agent -> checkDeclared(problems, known, registry, agent)));
        resilience.ifAvailable(settings -> checkFallbacks(problems, known, settings));
        if (!problems.isEmpty()) {
            throw new GatewayConfigurationException(String.join("\n", problems),
                    "Name one of the providers this application has: " + String.join(", ", known) + ". A provider is added by"
                            + " agent-gateway.providers.<id> (api-key, base-url, model, type), or by an LlmClient or ChatModel"
                            + " bean named <id>.");
        }
    }

    private void checkAgent(List<String> problems, Set<String> known, String id, AgentGatewayProperties.AgentSettings agent) {
        check(problems, known, property("agent-gateway.agents." + id + ".provider"), agent.getProvider());
        for (int i = 0; i < agent.getFallbacks().size(); i++) {
            check(problems, known, property("agent-gateway.agents." + id + ".fallbacks[" + i + "].provider"),
                    agent.getFallbacks().get(i).getProvider());
        }
    }

    /** A provider an annotation names and the configuration does not override. */
    private void checkDeclared(List<String> problems, Set<String> known, AgentRegistry registry, AgentDefinition agent) {
        AgentGatewayProperties.AgentSettings yaml = properties.getAgents().get(agent.id());
        if (yaml != null && yaml.getProvider() != null) {
            return;
        }
        registry.declaration(agent.id()).map(AgentDefinition::provider).ifPresent(provider ->
                check(problems, known, "@Agent(provider = \"" + provider + "\") on " + agent.type().getName(), provider));
    }

    private void checkFallbacks(List<String> problems, Set<String> known, ResilienceProperties settings) {
        for (int i = 0; i < settings.getFallbacks().size(); i++) {
            check(problems, known, property("agent-gateway.resilience.fallbacks[" + i + "].provider"),
                    settings.getFallbacks().get(i).getProvider());
        }
    }

    private String property(String name) {
        return PropertyOrigins.describe(environment, name);
    }

    private static void check(List<String> problems, Set<String> known, String where, String provider) {
        if (provider == null || known.contains(normalized(provider))) {
            return;
        }
        problems.add(where + " names the provider '" + provider + "', which this application does not have.");
    }

    /** As the gateway files known providers: by their canonical id. */
    private static String normalized(String provider) {
        LlmProvider known = LlmProvider.fromId(provider);
        return known != null ? known.id() : provider;
    }
}
