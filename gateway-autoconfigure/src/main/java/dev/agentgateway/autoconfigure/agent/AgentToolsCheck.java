package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.AgentDefinition;
import dev.agentgateway.spring.agent.AgentRegistry;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.config.GatewayConfigurationException;
import dev.agentgateway.autoconfigure.config.PropertyOrigins;
import dev.agentgateway.spring.tool.RegisteredTool;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * At start-up, once every bean (so every {@code @Tool}) exists: fails when an {@code @Agent} lists
 * a tool no {@code @Tool} defines, warns when a tool-access rule or an {@code allowed-tools} entry
 * matches no tool, and logs each agent's effective tools, warning about each tool its code lists
 * that the configuration denies (it is never offered).
 */
public class AgentToolsCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AgentToolsCheck.class);

    private final AgentRegistry agents;
    private final ToolRegistry tools;
    private final ObjectProvider<Gateway> gateway;
    private final AgentGatewayProperties properties;
    private final Environment environment;

    public AgentToolsCheck(AgentRegistry agents, ToolRegistry tools, ObjectProvider<Gateway> gateway,
                           AgentGatewayProperties properties, Environment environment) {
        this.agents = agents;
        this.tools = tools;
        this.gateway = gateway;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> known = knownTools();
        agents.all().forEach(agent -> checkDeclaredTools(agent, known));
        warnAboutGrantsOfNoTool(known);
        Gateway bean = gateway.getIfAvailable();
        ToolAccessController access = bean == null ? null : bean.toolAccess();
        agents.all().forEach(agent -> report(agent, access));
    }

    private Set<String> knownTools() {
        Set<String> names = new TreeSet<>();
        for (RegisteredTool tool : tools.all()) {
            names.add(tool.spec().name());
        }
        return names;
    }

    /** An offered tool that does not exist would fail the agent's first call; fail start-up instead. */
    private void checkDeclaredTools(AgentDefinition agent, Set<String> known) {
        if (agent.tools() == null) {
            return;
        }
        AgentDefinition declared = agents.declaration(agent.id()).orElse(agent);
        for (int i = 0; i < agent.tools().size(); i++) {
            String tool = agent.tools().get(i);
            if (known.contains(tool)) {
                continue;
            }
            String where = declared.tools() != null
                    ? "@Agent(tools = ...) on " + agent.type().getName()
                    : PropertyOrigins.describe(environment, "agent-gateway.agents." + agent.id() + ".allowed-tools[" + i + "]");
            throw new GatewayConfigurationException(
                    where + " names the tool '" + tool + "' for agent '" + agent.id() + "', but no tool of that name exists.",
                    "Name one of the tools this application defines: " + listOrNone(known)
                            + "; or define '" + tool + "' with @Tool(name = \"" + tool + "\") on a bean method.");
        }
    }

    private void warnAboutGrantsOfNoTool(Set<String> known) {
        List<AgentGatewayProperties.Rule> rules = properties.getToolAccess().getRules();
        for (int i = 0; i < rules.size(); i++) {
            String pattern = rules.get(i).getTool();
            if (pattern != null && !matchesAny(pattern, known)) {
                log.warn("{} is '{}', which matches no tool of this application (tools: {})",
                        PropertyOrigins.describe(environment, "agent-gateway.tool-access.rules[" + i + "].tool"), pattern,
                        listOrNone(known));
            }
        }
        properties.getAgents().forEach((agentId, settings) -> {
            List<String> granted = settings.getAllowedTools() == null ? List.of() : settings.getAllowedTools();
            for (int i = 0; i < granted.size(); i++) {
                if (!known.contains(granted.get(i))) {
                    log.warn("{} is '{}', which is no tool of this application (tools: {})",
                            PropertyOrigins.describe(environment, "agent-gateway.agents." + agentId + ".allowed-tools[" + i + "]"),
                            granted.get(i), listOrNone(known));
                }
            }
        });
    }

    private void report(AgentDefinition agent, ToolAccessController access) {
        List<String> listed = agent.tools() == null ? List.of() : agent.tools();
        List<String> effective = access == null ? listed : listed.stream().filter(tool -> access.isPermitted(agent.id(), tool)).toList();
        log.info("Agent '{}': provider '{}', model '{}', tools {}", agent.id(), agent.provider(),
                agent.model() == null ? "(provider default)" : agent.model(), effective);
        for (String tool : listed) {
            if (!effective.contains(tool)) {
                log.warn("Agent '{}' lists the tool '{}', but the tool access configuration denies it to this agent: it is not "
                        + "offered. Grant it with agent-gateway.agents.{}.allowed-tools or an agent-gateway.tool-access rule.",
                        agent.id(), tool, agent.id());
            }
        }
    }

    private static boolean matchesAny(String pattern, Set<String> names) {
        ToolAccessRule rule = ToolAccessRule.forTool(pattern);
        return names.stream().anyMatch(rule::appliesTo);
    }

    private static String listOrNone(Set<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
}
