package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.spring.console.ConsoleAccess;
import dev.agentgateway.spring.console.ConsoleAccessInterceptor;
import dev.agentgateway.spring.console.ConsoleApprovalsController;
import dev.agentgateway.spring.console.ConsoleAudit;
import dev.agentgateway.spring.console.ConsoleControlController;
import dev.agentgateway.spring.console.ConsoleController;
import dev.agentgateway.spring.console.ConsoleEvents;
import dev.agentgateway.spring.console.SpringSecurityConsoleAccess;
import dev.agentgateway.spring.actuate.AgentApprovalsControlEndpoint;
import dev.agentgateway.spring.actuate.AgentApprovalsEndpoint;
import dev.agentgateway.spring.actuate.AgentCallsEndpoint;
import dev.agentgateway.spring.actuate.AgentCheckpointsEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayControlEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayEndpoint;
import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.autoconfigure.actuate.GatewayActuatorAutoConfiguration;
import dev.agentgateway.core.Gateway;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Clock;

/**
 * The operator console ({@code agent-gateway.console.enabled=true}), served by the application's
 * Spring MVC at {@code agent-gateway.console.path}: a static page, its assets and WebJars, a thin
 * JSON API over the gateway's Actuator endpoint beans, and server-sent events as calls settle.
 * The write actions exist only while {@code /actuator/agentgateway} offers its own.
 */
@AutoConfiguration(after = GatewayActuatorAutoConfiguration.class)
@ConditionalOnProperty(prefix = "agent-gateway.console", name = "enabled", havingValue = "true")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SseEmitter.class, AgentGatewayEndpoint.class,
        org.springframework.boot.actuate.endpoint.annotation.Endpoint.class})
@ConditionalOnBean({Gateway.class, EndpointSanitizer.class})
@EnableConfigurationProperties(ConsoleProperties.class)
public final class ConsoleAutoConfiguration {

    private static final String SECURED_MARKER = "org.springframework.security.web.csrf.CsrfToken";

    /** The bean Spring Security's {@code @EnableWebSecurity} (and so Spring Boot) registers. */
    private static final String SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

    @Bean
    @ConditionalOnMissingBean
    ConsoleEvents gatewayConsoleEvents(EndpointSanitizer sanitizer, ConsoleProperties properties) {
        return new ConsoleEvents(sanitizer, properties.getMaxSubscribers(), properties.getSubscriptionTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    ConsoleAudit gatewayConsoleAudit(ConsoleProperties properties, ConsoleEvents events) {
        return new ConsoleAudit(properties.getAuditCapacity(), Clock.systemUTC(), events);
    }

    @Bean
    @ConditionalOnMissingBean
    ConsoleController gatewayConsoleController(ObjectProvider<AgentGatewayEndpoint> gateway,
                                               ObjectProvider<AgentCallsEndpoint> calls,
                                               ObjectProvider<AgentCheckpointsEndpoint> checkpoints,
                                               ObjectProvider<ConsoleControlController> actions,
                                               ConsoleEvents events, ConsoleAudit audit, ConsoleAccess access,
                                               ConsoleProperties properties) {
        return new ConsoleController(gateway, calls, checkpoints, actions, events, audit, access, properties.getPath());
    }

    /** Actions only while {@code /actuator/agentgateway} takes them itself (see {@link GatewayEndpointTakesWrites}). */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AgentGatewayControlEndpoint.class)
    @Conditional(GatewayEndpointTakesWrites.class)
    ConsoleControlController gatewayConsoleControlController(AgentGatewayControlEndpoint control, ConsoleAudit audit,
                                                             ConsoleAccess access) {
        return new ConsoleControlController(control, audit, access);
    }

    /**
     * Decisions only while {@code /actuator/agentapprovals} takes them itself: its deciding variant is
     * registered and Actuator's {@code management.endpoint.agentapprovals.access} is not capped.
     */
    @Bean
    @ConditionalOnMissingBean
    ConsoleApprovalsController gatewayConsoleApprovalsController(ObjectProvider<AgentApprovalsEndpoint> approvals,
                                                                 Environment environment, ConsoleAudit audit,
                                                                 ConsoleAccess access) {
        AgentApprovalsControlEndpoint decisions = approvals.getIfAvailable() instanceof AgentApprovalsControlEndpoint control
                && takesWrites(environment, "agentapprovals") ? control : null;
        return new ConsoleApprovalsController(approvals, decisions, audit, access);
    }

    /**
     * Whether Actuator lets an endpoint's write operations through: {@code management.endpoint.<id>.access}
     * and {@code management.endpoints.access.*} as Actuator itself reads them. The console acts only where
     * Actuator would, so capping an endpoint to read-only caps the console too.
     */
    static boolean takesWrites(PropertyResolver environment, String endpointId) {
        return new PropertiesEndpointAccessResolver(environment).accessFor(EndpointId.of(endpointId), Access.UNRESTRICTED)
                == Access.UNRESTRICTED;
    }

    /** {@code /actuator/agentgateway}'s write operations are not capped by Actuator's access settings. */
    static final class GatewayEndpointTakesWrites implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return takesWrites(context.getEnvironment(), "agentgateway");
        }
    }

    @Bean
    @ConditionalOnMissingBean(name = "gatewayConsoleWebMvcConfigurer")
    WebMvcConfigurer gatewayConsoleWebMvcConfigurer(ConsoleProperties properties, ConsoleAccess access) {
        String path = properties.getPath();
        return new WebMvcConfigurer() {
            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler(path + "/assets/**").addResourceLocations("classpath:/agent-gateway-console/");
                // version-less WebJar paths, resolved by webjars-locator-lite
                registry.addResourceHandler(path + "/webjars/**")
                        .addResourceLocations("classpath:/META-INF/resources/webjars/").resourceChain(true);
            }

            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new ConsoleAccessInterceptor(access)).addPathPatterns(path, path + "/**");
            }
        };
    }

    /**
     * Secured when the application runs Spring Security's filter chain, open otherwise. Decided from
     * the bean definitions rather than by a condition, so it does not hang on the order in which
     * the application's security configuration and this auto-configuration are read.
     */
    @Bean
    @ConditionalOnMissingBean
    ConsoleAccess gatewayConsoleAccess(ListableBeanFactory beanFactory, ConsoleProperties properties) {
        boolean secured = ClassUtils.isPresent(SECURED_MARKER, getClass().getClassLoader())
                && beanFactory.containsBean(SECURITY_FILTER_CHAIN);
        return secured ? new SpringSecurityConsoleAccess(properties.getRole()) : ConsoleAccess.open();
    }
}
