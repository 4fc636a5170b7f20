package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.spring.agent.AgentCaller;
import dev.agentgateway.spring.agent.TenantResolver;
import dev.agentgateway.spring.agent.TenantSettings;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** A {@link GatewayAdvisor} bean for applications that use Spring AI's ChatClient. */
@AutoConfiguration(after = GatewayAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.ai.chat.client.ChatClient")
@ConditionalOnBean(Gateway.class)
public final class ChatClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GatewayAdvisor gatewayAdvisor(Gateway gateway, AgentGatewayProperties properties,
                                         ObjectProvider<TenantResolver> tenantResolver, ObjectProvider<TenantSettings> tenantSettings) {
        return GatewayAdvisor.builder(gateway).defaultModel(properties.getDefaultModel())
                .tenants(AgentCaller.of(tenantResolver.getIfAvailable(), tenantSettings.getIfAvailable(TenantSettings::none)))
                .build();
    }
}
