package dev.agentgateway.autoconfigure;

import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.spring.LimitWarningEvent;
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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Auto-configures one {@link Gateway} and each of its collaborators. Every bean backs off when
 * the application defines its own; {@code agent-gateway.enabled=false} turns everything off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AgentGatewayProperties.class)
public final class GatewayAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayAutoConfiguration.class);

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
    @ConditionalOnMissingBean(name = "gatewayLimitWarningPublisher")
    public GatewayListener gatewayLimitWarningPublisher(ApplicationEventPublisher publisher) {
        return new GatewayListener() {
            @Override
            public void onLimitWarning(LimitWarning warning) {
                publisher.publishEvent(new LimitWarningEvent(this, warning));
            }
        };
    }

    /**
     * The gateway: its settings from {@code agent-gateway.*}, then every {@link GatewayBuilderCustomizer} in
     * order — first the starter's (stores, extensions, providers), then the application's.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Gateway agentGateway(AgentGatewayProperties properties, ObjectProvider<GatewayBuilderCustomizer> customizers) {
        Gateway.Builder builder = GatewayLimitsFactory.builder(properties);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        Gateway gateway = builder.build();
        configureProviders(gateway, properties);
        log.info("Agent Gateway ready: providers {}, default provider '{}'", gateway.providerIds(), properties.getDefaultProvider());
        return gateway;
    }

    /**
     * The stores, price table and tool access rules the gateway uses (each a bean of its own, replaceable), and the
     * per-tool limits of agent-gateway.tools.* (checked against the ledger: a cost per call needs one that can hold it).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnMissingBean(name = "gatewayStoresCustomizer")
    public GatewayBuilderCustomizer gatewayStoresCustomizer(AgentGatewayProperties properties, PriceTable priceTable,
                                                            ToolAccessController toolAccess, CallHistoryStore history,
                                                            CheckpointStore checkpoints, BudgetLedger ledger) {
        GatewayLimitsFactory.checkDowngradePrices(properties, priceTable);
        return builder -> {
            builder.toolAccess(toolAccess).historyStore(history).checkpointStore(checkpoints).budgetLedger(ledger)
                    .priceTable(priceTable);
            GatewayLimitsFactory.toolLimits(properties, ledger).forEach(builder::toolLimits);
        };
    }

    /** The hook and listener beans of the application, in their order (deprecated LimitWarningListener beans too). */
    @Bean
    @SuppressWarnings("deprecation")
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    @ConditionalOnMissingBean(name = "gatewayExtensionsCustomizer")
    public GatewayBuilderCustomizer gatewayExtensionsCustomizer(ObjectProvider<BeforeCallHook> beforeHooks,
                                                                ObjectProvider<AfterCallHook> afterHooks,
                                                                ObjectProvider<GatewayListener> listeners,
                                                                ObjectProvider<LimitWarningListener> warningListeners) {
        return builder -> {
            beforeHooks.orderedStream().forEach(builder::onBeforeCall);
            afterHooks.orderedStream().forEach(builder::onAfterCall);
            listeners.orderedStream().forEach(builder::listener);
            warningListeners.orderedStream().forEach(builder::onLimitWarning);
        };
    }

    /**
     * The providers: client factories, the call strategy, the mock provider and every {@link LlmClient} bean
     * under its bean name (a bean named "mock" replaces the built-in one).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    @ConditionalOnMissingBean(name = "gatewayProvidersCustomizer")
    public GatewayBuilderCustomizer gatewayProvidersCustomizer(ObjectProvider<LlmClientFactory> factories,
                                                               ObjectProvider<CallStrategy> callStrategy,
                                                               Map<String, LlmClient> clients) {
        return builder -> {
            factories.orderedStream().forEach(builder::clientFactory);
            callStrategy.ifAvailable(builder::callStrategy);
            builder.provider("mock", MockLlmClient.create());
            clients.forEach(builder::provider);
        };
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
