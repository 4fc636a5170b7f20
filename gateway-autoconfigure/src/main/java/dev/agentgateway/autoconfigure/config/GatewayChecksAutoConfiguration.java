package dev.agentgateway.autoconfigure.config;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.spring.agent.AgentRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Start-up checks of the {@code agent-gateway.*} configuration: keys that are no property, provider
 * names no provider answers to. Each stops start-up with a message naming the property and the fix.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AgentGatewayProperties.class)
public final class GatewayChecksAutoConfiguration {

    /** Stops start-up on any key under agent-gateway that is no property, before any bean is made. */
    @Bean
    @ConditionalOnMissingBean
    public static UnknownPropertiesCheck gatewayUnknownPropertiesCheck() {
        return new UnknownPropertiesCheck();
    }

    /** Stops start-up on a provider name that no provider of the gateway answers to. */
    @Bean
    @ConditionalOnMissingBean
    public ProviderNamesCheck gatewayProviderNamesCheck(ObjectProvider<Gateway> gateway, AgentGatewayProperties properties,
                                                        ObjectProvider<ResilienceProperties> resilience,
                                                        ObjectProvider<AgentRegistry> agents, Environment environment) {
        return new ProviderNamesCheck(gateway, properties, resilience, agents, environment);
    }
}
