package dev.agentgateway.autoconfigure.approval;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.spring.approval.ApprovalDecidedEvent;
import dev.agentgateway.spring.approval.ApprovalResumer;
import dev.agentgateway.spring.approval.ApprovalSweeper;
import dev.agentgateway.spring.tool.RunToolExecutors;
import dev.agentgateway.spring.tool.ToolExecutorDecorator;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.spring.approval.ApprovalRequestedEvent;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.autoconfigure.persistence.GatewayPersistenceAutoConfiguration;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalListener;
import dev.agentgateway.core.approval.ApprovalStore;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.InMemoryApprovalStore;
import dev.agentgateway.core.secrets.SecretRedactor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durable approvals: the {@link ApprovalStore} (in memory unless the JPA store of
 * {@link GatewayPersistenceAutoConfiguration} or the application's own is there) and the
 * {@link Approvals} Java API over it, whose requests and decisions are published as
 * {@link ApprovalRequestedEvent} and {@link ApprovalDecidedEvent}. Arguments shown to approvers are
 * masked with the provider keys and the secret-looking properties of the environment.
 */
@AutoConfiguration(after = GatewayPersistenceAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({ApprovalProperties.class, AgentGatewayProperties.class})
public final class ApprovalAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ApprovalStore gatewayApprovalStore() {
        return new InMemoryApprovalStore();
    }

    @Bean
    @ConditionalOnMissingBean
    public Approvals gatewayApprovals(ApprovalStore store, ApprovalProperties properties,
                                      AgentGatewayProperties gatewayProperties, Environment environment,
                                      ObjectProvider<Clock> clock, ObjectProvider<ApprovalListener> listeners) {
        List<String> secrets = new ArrayList<>(EndpointSanitizer.secretsOf(environment));
        gatewayProperties.getProviders().values().forEach(provider -> secrets.add(provider.getApiKey()));
        Approvals approvals = new Approvals(store, clock.getIfUnique(Clock::systemUTC), properties.getTimeout(),
                SecretRedactor.of(secrets));
        listeners.orderedStream().forEach(approvals::addListener);
        return approvals;
    }

    /**
     * Hands the approvals to the gateway, so runs pause for them; the claim time-out is checked
     * against the tool time-out here, naming both properties.
     */
    @Bean
    @ConditionalOnMissingBean(name = "gatewayApprovalsCustomizer")
    public GatewayBuilderCustomizer gatewayApprovalsCustomizer(Approvals approvals, ApprovalProperties properties,
                                                               AgentGatewayProperties gatewayProperties) {
        Duration claimTimeout = properties.getClaimTimeout();
        Duration toolTimeout = gatewayProperties.getToolExecution().getTimeout();
        if (claimTimeout != null && claimTimeout.compareTo(toolTimeout) <= 0) {
            throw new IllegalStateException("agent-gateway.approvals.claim-timeout (" + claimTimeout
                    + ") must exceed agent-gateway.tool-execution.timeout (" + toolTimeout
                    + "): a run's claim is held while its approved tools run. Raise the claim time-out, or leave it unset.");
        }
        String instanceId = properties.getInstanceId();
        return builder -> {
            builder.approvals(approvals);
            if (claimTimeout != null) {
                builder.approvalClaimTimeout(claimTimeout);
            }
            if (instanceId != null && !instanceId.isBlank()) {
                builder.instanceId(instanceId);
            }
        };
    }

    /** Resumes a paused run on the instance whose decision completes its approvals. */
    @Bean
    @ConditionalOnMissingBean
    public ApprovalResumer gatewayApprovalResumer(ObjectProvider<Gateway> gateway, ObjectProvider<ToolRegistry> tools,
                                                  ObjectProvider<ToolExecutorDecorator> decorators,
                                                  ApplicationEventPublisher publisher, ApprovalProperties properties) {
        return new ApprovalResumer(gateway::getObject,
                () -> RunToolExecutors.of(tools.getIfAvailable(ToolRegistry::new), decorators.orderedStream().toList()),
                publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    public ApprovalSweeper gatewayApprovalSweeper(ApprovalResumer resumer, ApprovalProperties properties) {
        return new ApprovalSweeper(resumer, properties.getPollInterval());
    }

    @Bean
    @ConditionalOnMissingBean(name = "gatewayApprovalEventPublisher")
    public ApprovalListener gatewayApprovalEventPublisher(ApplicationEventPublisher publisher) {
        return new ApprovalListener() {
            @Override
            public void onRequested(Approval approval) {
                publisher.publishEvent(new ApprovalRequestedEvent(this, approval.request()));
            }

            @Override
            public void onDecided(Approval approval) {
                publisher.publishEvent(new ApprovalDecidedEvent(this, approval));
            }
        };
    }
}
