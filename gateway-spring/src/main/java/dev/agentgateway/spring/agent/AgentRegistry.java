package dev.agentgateway.spring.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@link Agent} of the application (interfaces and classes), resolved against
 * {@code agent-gateway.agents.*} and the gateway's defaults. It grants nothing: the tools an
 * {@code @Agent} lists are only offered, and only when the tool access configuration permits them.
 */
public class AgentRegistry {

    private static final Logger log = LoggerFactory.getLogger(AgentRegistry.class);

    private final Map<String, AgentDefinition> agents = new LinkedHashMap<>();
    private final Map<String, AgentDefinition> declarations = new LinkedHashMap<>();

    public AgentRegistry(ListableBeanFactory beanFactory, AgentSettings properties) {
        for (String beanName : beanFactory.getBeanNamesForAnnotation(Agent.class)) {
            Class<?> type = beanFactory.getType(beanName, false);
            if (type == null) {
                continue;
            }
            Class<?> userType = ClassUtils.getUserClass(type);
            Agent agent = AnnotatedElementUtils.findMergedAnnotation(userType, Agent.class);
            if (agent == null) {
                continue;
            }
            AgentDefinition declared = AgentDefinition.of(userType, agent);
            AgentSettings.Overrides yaml = properties.agents().get(declared.id());
            AgentDefinition resolved = declared.resolve(yaml, properties);
            if ("mock".equals(resolved.provider()) && declared.provider() == null
                    && (yaml == null || yaml.provider() == null)) {
                log.warn("Agent '{}' names no provider and agent-gateway.default-provider is 'mock': it will get mock answers. "
                        + "Set agent-gateway.default-provider (and agent-gateway.providers.<id>.*) to use a real model.",
                        resolved.id());
            }
            AgentDefinition previous = agents.put(declared.id(), resolved);
            if (previous != null && previous.type() != userType) {
                throw new IllegalStateException("Two agents are named '" + declared.id() + "': " + previous.type().getName()
                        + " and " + userType.getName() + ". Name one of them with @Agent(\"...\").");
            }
            declarations.put(declared.id(), declared);
        }
    }

    public Optional<AgentDefinition> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    public AgentDefinition get(String agentId) {
        return find(agentId).orElseThrow(() -> new IllegalStateException("No @Agent named '" + agentId + "'"));
    }

    /** The agent declared by this type, if any. */
    public Optional<AgentDefinition> forType(Class<?> type) {
        return agents.values().stream().filter(agent -> agent.type() == type).findFirst();
    }

    /** The agent as its annotation declares it, before configuration and defaults are applied. */
    public Optional<AgentDefinition> declaration(String agentId) {
        return Optional.ofNullable(declarations.get(agentId));
    }

    public Collection<AgentDefinition> all() {
        return agents.values();
    }
}
