package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.AgentApprovalsControlEndpoint;
import dev.agentgateway.spring.actuate.AgentApprovalsEndpoint;
import dev.agentgateway.spring.actuate.AgentCallsEndpoint;
import dev.agentgateway.spring.actuate.CallsEndpointSettings;
import dev.agentgateway.spring.actuate.CheckpointsEndpointSettings;
import dev.agentgateway.spring.actuate.AgentCheckpointsEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayControlEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayHealthIndicator;
import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.spring.actuate.GatewayEndpointParameters;
import dev.agentgateway.spring.actuate.ProviderCircuitStates;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.approval.ApprovalAutoConfiguration;
import dev.agentgateway.spring.actuate.metrics.ApprovalMeterBinder;
import dev.agentgateway.spring.actuate.metrics.GatewayStateMeterBinder;
import dev.agentgateway.spring.actuate.metrics.HistoryQueueMeterBinder;
import dev.agentgateway.spring.HistoryQueueStats;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.Approvals;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Actuator support over the {@link Gateway} bean: the {@code agentgateway}, {@code agentcalls},
 * {@code agentcheckpoints} and {@code agentapprovals} endpoints (each only when Actuator makes it available: enabled and
 * exposed), the {@code agentGateway} health indicator, the state gauges, the approval meters, the history queue meters
 * of any {@link HistoryQueueStats} bean, and the provider circuit states when the Resilience4j call
 * strategy is in use.
 */
@AutoConfiguration(after = {GatewayAutoConfiguration.class, GatewayObservabilityAutoConfiguration.class,
        ApprovalAutoConfiguration.class},
        afterName = {
                "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Gateway.class)
@EnableConfigurationProperties(AgentGatewayActuatorProperties.class)
public final class GatewayActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean(AgentGatewayEndpoint.class)
        @ConditionalOnAvailableEndpoint
        @ConditionalOnProperty(prefix = "agent-gateway.actuator", name = "write-enabled", havingValue = "true")
        AgentGatewayControlEndpoint agentGatewayControlEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                                                ObjectProvider<ProviderCircuitStates> circuitStates) {
            return new AgentGatewayControlEndpoint(gateway, sanitizer, circuitStates);
        }

        @Bean
        @ConditionalOnMissingBean(AgentGatewayEndpoint.class)
        @ConditionalOnAvailableEndpoint
        @ConditionalOnProperty(prefix = "agent-gateway.actuator", name = "write-enabled", havingValue = "false",
                matchIfMissing = true)
        AgentGatewayEndpoint agentGatewayEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                                  ObjectProvider<ProviderCircuitStates> circuitStates) {
            return new AgentGatewayEndpoint(gateway, sanitizer, circuitStates);
        }

        @Bean
        @ConditionalOnMissingBean(AgentApprovalsEndpoint.class)
        @ConditionalOnBean(Approvals.class)
        @ConditionalOnAvailableEndpoint(AgentApprovalsEndpoint.class)
        @ConditionalOnProperty(prefix = "agent-gateway.actuator", name = "write-enabled", havingValue = "true")
        AgentApprovalsControlEndpoint agentApprovalsControlEndpoint(Approvals approvals, EndpointSanitizer sanitizer,
                                                                    AgentGatewayActuatorProperties properties) {
            return new AgentApprovalsControlEndpoint(approvals, sanitizer, properties.getCalls().getMaxLimit());
        }

        @Bean
        @ConditionalOnMissingBean(AgentApprovalsEndpoint.class)
        @ConditionalOnBean(Approvals.class)
        @ConditionalOnAvailableEndpoint(AgentApprovalsEndpoint.class)
        @ConditionalOnProperty(prefix = "agent-gateway.actuator", name = "write-enabled", havingValue = "false",
                matchIfMissing = true)
        AgentApprovalsEndpoint agentApprovalsEndpoint(Approvals approvals, EndpointSanitizer sanitizer,
                                                      AgentGatewayActuatorProperties properties) {
            return new AgentApprovalsEndpoint(approvals, sanitizer, properties.getCalls().getMaxLimit());
        }

        @Bean
        @ConditionalOnMissingBean
        GatewayEndpointParameters gatewayEndpointParameters() {
            return new GatewayEndpointParameters();
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        AgentCallsEndpoint agentCallsEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                              AgentGatewayActuatorProperties properties) {
            return new AgentCallsEndpoint(gateway, sanitizer, new CallsEndpointSettings(properties.getCalls().getDefaultLimit(),
                    properties.getCalls().getMaxLimit(), properties.getCalls().getLookupWindow()));
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        AgentCheckpointsEndpoint agentCheckpointsEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                                          AgentGatewayActuatorProperties properties) {
            return new AgentCheckpointsEndpoint(gateway, sanitizer,
                    new CheckpointsEndpointSettings(properties.getCheckpoints().getDiscoveryWindow()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry",
            "org.springframework.boot.actuate.endpoint.annotation.Endpoint"})
    @ConditionalOnBean(type = "dev.agentgateway.spring.provider.resilience.ResilientCallStrategy")
    static class CircuitStatesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ProviderCircuitStates gatewayProviderCircuitStates(ResilientCallStrategy strategy) {
            return () -> {
                Map<String, Map<String, Object>> states = new TreeMap<>();
                for (CircuitBreaker breaker : strategy.circuitBreakerRegistry().getAllCircuitBreakers()) {
                    CircuitBreaker.Metrics metrics = breaker.getMetrics();
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("state", breaker.getState().name());
                    // Resilience4j reports -1 until the window holds its minimum number of calls: no rate yet
                    if (metrics.getFailureRate() >= 0) {
                        state.put("failureRate", metrics.getFailureRate());
                    }
                    state.put("bufferedCalls", metrics.getNumberOfBufferedCalls());
                    state.put("failedCalls", metrics.getNumberOfFailedCalls());
                    state.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
                    states.put(breaker.getName(), state);
                }
                return states;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthConfiguration {

        // on the method, not the class: its condition class is only resolved once spring-boot-health is known to be there
        @Bean
        @ConditionalOnEnabledHealthIndicator("agentgateway")
        @ConditionalOnMissingBean(name = "agentGatewayHealthIndicator")
        AgentGatewayHealthIndicator agentGatewayHealthIndicator(Gateway gateway) {
            return new AgentGatewayHealthIndicator(gateway);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnProperty(prefix = "agent-gateway.actuator.metrics", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class StateMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GatewayStateMeterBinder gatewayStateMeterBinder(Gateway gateway) {
            return new GatewayStateMeterBinder(gateway);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(Approvals.class)
        ApprovalMeterBinder gatewayApprovalMeterBinder(Approvals approvals) {
            return new ApprovalMeterBinder(approvals);
        }

        /** Measures every {@link HistoryQueueStats} bean (an asynchronous history store); binds nothing without one. */
        @Bean
        @ConditionalOnMissingBean
        HistoryQueueMeterBinder gatewayHistoryQueueMeterBinder(ListableBeanFactory beanFactory) {
            return new HistoryQueueMeterBinder(() -> beanFactory.getBeansOfType(HistoryQueueStats.class));
        }
    }
}
