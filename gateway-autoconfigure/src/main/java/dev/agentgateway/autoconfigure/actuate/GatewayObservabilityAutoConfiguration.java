package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.spring.actuate.metrics.GatewayMetricsListener;
import dev.agentgateway.spring.actuate.observation.GatewayObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the gateway needs to be told about while it is built, so it never depends on the
 * {@code Gateway} bean: the {@link GatewayMetricsListener} (a {@code GatewayListener} bean, which
 * the gateway's auto-configuration registers) when a {@link MeterRegistry} bean exists, and the
 * {@link GatewayObservations} observer (set through a {@link GatewayBuilderCustomizer}) when an
 * {@link ObservationRegistry} bean exists. Also the {@link EndpointSanitizer} shared by the endpoints
 * and the observer.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AgentGatewayActuatorProperties.class)
public final class GatewayObservabilityAutoConfiguration {

    /**
     * Masks the environment's secrets everywhere, and conversation content when
     * {@code agent-gateway.history.redact-content=true}.
     */
    @Bean
    @ConditionalOnMissingBean
    public EndpointSanitizer gatewayEndpointSanitizer(Environment environment) {
        boolean redact = environment.getProperty("agent-gateway.history.redact-content", Boolean.class, false);
        return new EndpointSanitizer(EndpointSanitizer.secretsOf(environment), redact);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnProperty(prefix = "agent-gateway.actuator.metrics", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class MetricsListenerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GatewayMetricsListener gatewayMetricsListener(MeterRegistry registry, AgentGatewayActuatorProperties properties) {
            return new GatewayMetricsListener(registry, properties.getMetrics().isHistogramBuckets());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnProperty(prefix = "agent-gateway.actuator.observations", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GatewayObservations gatewayObservations(ObservationRegistry registry, EndpointSanitizer sanitizer) {
            return new GatewayObservations(registry, sanitizer);
        }

        @Bean
        @ConditionalOnMissingBean(name = "gatewayObservationCustomizer")
        GatewayBuilderCustomizer gatewayObservationCustomizer(GatewayObservations observations) {
            return builder -> builder.observer(observations);
        }
    }
}
