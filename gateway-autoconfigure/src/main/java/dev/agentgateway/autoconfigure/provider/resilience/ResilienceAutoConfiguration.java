package dev.agentgateway.autoconfigure.provider.resilience;

import dev.agentgateway.spring.provider.resilience.AgentRateLimitHook;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.spring.provider.resilience.ToolRateLimiter;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.provider.CallStrategy;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resilience of provider calls with Resilience4j: the {@link ResilientCallStrategy} (retry, circuit
 * breaker per provider, fallbacks; defaults under {@code agent-gateway.resilience}) that the gateway
 * uses for every call, a per-agent rate limit hook ({@code agent-gateway.agents.<id>.rate-limit})
 * and a per-tool rate limiter ({@code agent-gateway.tools.<name>.rate-limit}).
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({ResilienceProperties.class, AgentGatewayProperties.class})
public final class ResilienceAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.github.resilience4j.retry.Retry", "io.github.resilience4j.circuitbreaker.CircuitBreaker"})
    @ConditionalOnProperty(prefix = "agent-gateway.resilience", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class CallStrategyConfiguration {

        @Bean
        @ConditionalOnMissingBean(CallStrategy.class)
        ResilientCallStrategy gatewayResilientCallStrategy(ResilienceProperties properties, AgentGatewayProperties gateway) {
            return new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties),
                    ResilienceSettingsMapper.agentFallbacks(gateway));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.github.resilience4j.ratelimiter.RateLimiter")
    static class RateLimitConfiguration {

        @Bean
        @ConditionalOnMissingBean
        AgentRateLimitHook gatewayAgentRateLimitHook(AgentGatewayProperties properties) {
            return new AgentRateLimitHook(ResilienceSettingsMapper.agentRateLimits(properties));
        }

        @Bean
        @ConditionalOnMissingBean
        ToolRateLimiter gatewayToolRateLimiter(AgentGatewayProperties properties) {
            return new ToolRateLimiter(ResilienceSettingsMapper.toolRateLimits(properties));
        }
    }
}
