package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.AgentCaller;
import dev.agentgateway.spring.agent.AgentClassInterceptor;
import dev.agentgateway.spring.agent.AgentRegistry;
import dev.agentgateway.spring.agent.ConfiguredTenantResolver;
import dev.agentgateway.spring.agent.TenantResolver;
import dev.agentgateway.spring.agent.TenantSettings;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.spring.hook.HookMethodPostProcessor;
import dev.agentgateway.spring.hook.HookMethods;
import dev.agentgateway.spring.tool.ToolMethodPostProcessor;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.Gateway;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * {@link Agent} interfaces and classes, {@code @Tool} methods and {@code @BeforeLlmCall} /
 * {@code @AfterLlmCall} hook methods. Needs Spring AI's JSON schema generator (spring-ai-model),
 * which the starter brings.
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.ai.util.json.schema.JsonSchemaGenerator")
public final class AgentAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static ToolRegistry gatewayToolRegistry() {
        return new ToolRegistry();
    }

    @Bean
    @ConditionalOnMissingBean(name = "gatewayToolMethodPostProcessor")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static ToolMethodPostProcessor gatewayToolMethodPostProcessor(ToolRegistry gatewayToolRegistry) {
        return new ToolMethodPostProcessor(gatewayToolRegistry);
    }

    @Bean
    @ConditionalOnMissingBean(name = "gatewayHookMethods")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static HookMethods gatewayHookMethods() {
        return new HookMethods();
    }

    @Bean
    @ConditionalOnMissingBean(name = "gatewayHookMethodPostProcessor")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static HookMethodPostProcessor gatewayHookMethodPostProcessor(HookMethods gatewayHookMethods) {
        return new HookMethodPostProcessor(gatewayHookMethods);
    }

    @Bean
    @ConditionalOnMissingBean(name = "gatewayAgentInterfaceRegistrar")
    public static AgentInterfaceRegistrar gatewayAgentInterfaceRegistrar() {
        return new AgentInterfaceRegistrar();
    }

    @Bean
    @ConditionalOnMissingBean
    public AgentRegistry gatewayAgentRegistry(ListableBeanFactory beanFactory, AgentGatewayProperties properties) {
        return new AgentRegistry(beanFactory, AgentSettingsMapper.agents(properties));
    }

    /** Where agent calls whose code names no tenant get one (agent-gateway.tenant.*), and whether they must. */
    @Bean
    @ConditionalOnMissingBean
    public TenantSettings gatewayTenantSettings(AgentGatewayProperties properties) {
        return AgentSettingsMapper.tenant(properties.getTenant());
    }

    /** The tenant of agent calls whose code names none, from agent-gateway.tenant.* (principal, request header). */
    @Bean
    @ConditionalOnMissingBean
    public TenantResolver gatewayTenantResolver(TenantSettings settings) {
        return new ConfiguredTenantResolver(settings);
    }

    /** Checks, at start-up, the tools the agents list against the tools and grants there are. */
    @Bean
    @ConditionalOnMissingBean
    public AgentToolsCheck gatewayAgentToolsCheck(AgentRegistry agents, ToolRegistry tools, ObjectProvider<Gateway> gateway,
                                                  AgentGatewayProperties properties, Environment environment) {
        return new AgentToolsCheck(agents, tools, gateway, properties, environment);
    }

    /** The limits declared on {@code @Agent}s; YAML limits of the same agent take precedence. */
    @Bean
    @ConditionalOnMissingBean(name = "gatewayAgentLimitsCustomizer")
    public GatewayBuilderCustomizer gatewayAgentLimitsCustomizer(AgentRegistry agents) {
        return builder -> agents.all().forEach(agent -> {
            ScopeLimits declared = ScopeLimits.of(agent.maxSteps(), agent.maxBudget());
            if (!declared.isUnlimited()) {
                builder.agentLimits(agent.id(), declared);
            }
        });
    }

    /**
     * Gateway calls inside an @Agent class count for it, and for the caller's tenant as agent-gateway.tenant.*
     * finds it (the resolver is looked up at the first call, not while post-processors are made).
     */
    @Bean
    @ConditionalOnMissingBean(name = "gatewayAgentClassAdvisor")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static Advisor gatewayAgentClassAdvisor(ObjectProvider<TenantResolver> resolver, ObjectProvider<TenantSettings> settings) {
        return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(Agent.class, false), new AgentClassInterceptor(
                () -> AgentCaller.of(resolver.getIfAvailable(), settings.getIfAvailable(TenantSettings::none))));
    }
}
