package dev.agentgateway.autoconfigure;

import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.spring.LimitWarningEvent;
import dev.agentgateway.spring.agent.AgentRegistry;
import dev.agentgateway.autoconfigure.config.ProviderNamesCheck;
import dev.agentgateway.autoconfigure.config.UnknownPropertiesCheck;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.core.AfterCallHook;
import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.LimitWarningListener;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.tools.ApprovalHandler;
import dev.agentgateway.core.tools.ToolAccessController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Auto-configures one {@link Gateway} and each of its collaborators. Every bean backs off when
 * the application defines its own; {@code agent-gateway.enabled=false} turns everything off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AgentGatewayProperties.class)
public class GatewayAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayAutoConfiguration.class);

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

    @Bean
    @ConditionalOnMissingBean
    public PriceTable gatewayPriceTable(AgentGatewayProperties properties) {
        return GatewayLimitsFactory.priceTable(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    public ToolAccessController gatewayToolAccessController(AgentGatewayProperties properties,
                                                            ObjectProvider<ApprovalHandler> approvalHandler) {
        ToolAccessController controller = GatewayLimitsFactory.toolAccess(properties);
        approvalHandler.ifAvailable(controller::approvalHandler);
        return controller;
    }

    @Bean
    @ConditionalOnMissingBean
    public CallHistoryStore gatewayCallHistoryStore(AgentGatewayProperties properties) {
        return new InMemoryCallHistoryStore(properties.getHistory().getCapacity());
    }

    @Bean
    @ConditionalOnMissingBean
    public CheckpointStore gatewayCheckpointStore() {
        return new InMemoryCheckpointStore();
    }

    @Bean
    @ConditionalOnMissingBean
    public BudgetLedger gatewayBudgetLedger() {
        return new InMemoryBudgetLedger();
    }

    @Bean
    public GatewayListener gatewayLimitWarningPublisher(ApplicationEventPublisher publisher) {
        return new GatewayListener() {
            @Override
            public void onLimitWarning(LimitWarning warning) {
                publisher.publishEvent(new LimitWarningEvent(this, warning));
            }
        };
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Gateway agentGateway(AgentGatewayProperties properties, PriceTable priceTable, ToolAccessController toolAccess,
                                CallHistoryStore history, CheckpointStore checkpoints, BudgetLedger ledger,
                                ObjectProvider<BeforeCallHook> beforeHooks, ObjectProvider<AfterCallHook> afterHooks,
                                ObjectProvider<GatewayListener> listeners, ObjectProvider<LimitWarningListener> warningListeners,
                                ObjectProvider<LlmClientFactory> factories, ObjectProvider<CallStrategy> callStrategy,
                                Map<String, LlmClient> clients, ObjectProvider<GatewayBuilderCustomizer> customizers) {
        Gateway.Builder builder = Gateway.builder()
                .limits(GatewayLimitsFactory.limits(properties))
                .loopDetection(GatewayLimitsFactory.loopDetection(properties))
                .toolAccess(toolAccess)
                .checkpointEnabled(properties.getCheckpoint().isEnabled())
                .historyStore(history)
                .checkpointStore(checkpoints)
                .budgetLedger(ledger)
                .priceTable(priceTable)
                .allowUnpricedModels(properties.isAllowUnpricedModels())
                .toolTimeout(properties.getToolExecution().getTimeout())
                .maxToolResultSize(properties.getToolExecution().getMaxResultSize());
        GatewayLimitsFactory.limitActions(properties).forEach(builder::limitActions);
        GatewayLimitsFactory.toolLimits(properties, ledger).forEach(builder::toolLimits);
        beforeHooks.orderedStream().forEach(builder::onBeforeCall);
        afterHooks.orderedStream().forEach(builder::onAfterCall);
        listeners.orderedStream().forEach(builder::listener);
        warningListeners.orderedStream().forEach(builder::onLimitWarning);
        factories.orderedStream().forEach(builder::clientFactory);
        callStrategy.ifAvailable(builder::callStrategy);
        builder.provider("mock", MockLlmClient.create());
        clients.forEach(builder::provider);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        Gateway gateway = builder.build();
        configureProviders(gateway, properties);
        log.info("Agent Gateway ready: providers {}, default provider '{}'", gateway.providerIds(), properties.getDefaultProvider());
        return gateway;
    }

    private static void configureProviders(Gateway gateway, AgentGatewayProperties properties) {
        properties.getProviders().forEach((id, provider) -> {
            Map<String, Object> options = new LinkedHashMap<>();
            if (provider.getBaseUrl() != null) {
                options.put("base-url", provider.getBaseUrl());
            }
            if (provider.getType() != null) {
                options.put("type", provider.getType());
            }
            if (provider.getModel() != null) {
                options.put("model", provider.getModel());
            }
            options.put("timeout", provider.getTimeout());
            gateway.configureProvider(id, provider.getApiKey(), options);
        });
    }
}
