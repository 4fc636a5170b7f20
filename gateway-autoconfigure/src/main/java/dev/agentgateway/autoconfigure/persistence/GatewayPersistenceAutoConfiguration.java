package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.HistoryRetention;
import dev.agentgateway.spring.persistence.JpaApprovalStore;
import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import dev.agentgateway.spring.persistence.JpaCheckpointStore;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.spring.persistence.jpa.ApprovalRepository;
import dev.agentgateway.spring.persistence.jpa.BudgetRepository;
import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.spring.persistence.jpa.CheckpointRepository;
import dev.agentgateway.spring.persistence.jpa.LeaseRepository;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochRepository;
import dev.agentgateway.spring.provider.ProviderOptions;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordRepository;
import dev.agentgateway.core.approval.ApprovalStore;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.limits.BudgetLedger;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;

/**
 * Keeps the gateway's call history, checkpoints, approvals and budget ledger in the application's database
 * with Spring Data JPA, in place of the in-memory defaults of {@link GatewayAutoConfiguration}
 * (each store backs off when the application defines its own). Active when the application has
 * one DataSource and JPA; embedded H2 needs nothing configured, PostgreSQL only the datasource.
 * {@code agent-gateway.persistence.enabled=false} keeps everything in memory.
 *
 * <p>The starter's entities join the application's persistence unit
 * ({@link GatewayEntityTypesPostProcessor}) and its repositories are beans of their own
 * ({@link GatewayRepositories}), defined after Spring Boot has registered the application's
 * repositories, so the application's entities and repositories keep working unchanged. The tables ({@code agw_*}) are created by {@link GatewaySchemaInitializer}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"},
        before = GatewayAutoConfiguration.class)
@ConditionalOnClass(name = {"jakarta.persistence.EntityManagerFactory", "org.hibernate.Session",
        "org.springframework.data.jpa.repository.JpaRepository",
        "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer"})
@ConditionalOnProperty(prefix = "agent-gateway", name = {"enabled", "persistence.enabled"}, havingValue = "true",
        matchIfMissing = true)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean(EntityManagerFactory.class)
@EnableConfigurationProperties({GatewayPersistenceProperties.class, GatewayJdbcProperties.class})
@Import({DatabaseInitializationDependencyConfigurer.class, GatewayRepositories.class})
public final class GatewayPersistenceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "agentGatewayEntityTypesPostProcessor")
    static GatewayEntityTypesPostProcessor agentGatewayEntityTypesPostProcessor() {
        return new GatewayEntityTypesPostProcessor();
    }

    @Bean
    @ConditionalOnMissingBean(GatewaySchemaInitializer.class)
    public GatewaySchemaInitializer agentGatewaySchemaInitializer(DataSource dataSource, GatewayJdbcProperties properties) {
        return new GatewaySchemaInitializer(dataSource, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    public GatewaySchemaVerifier agentGatewaySchemaVerifier(DataSource dataSource, GatewayJdbcProperties properties,
                                                            EntityManagerFactory entityManagerFactory,
                                                            ObjectProvider<JpaCallHistoryStore> history,
                                                            ObjectProvider<JpaCheckpointStore> checkpoints,
                                                            ObjectProvider<JpaBudgetLedger> ledger,
                                                            ObjectProvider<JpaApprovalStore> approvals) {
        return new GatewaySchemaVerifier(dataSource, () -> {
            List<String> tables = new ArrayList<>();
            history.ifAvailable(store -> tables.addAll(JpaCallHistoryStore.TABLES));
            checkpoints.ifAvailable(store -> tables.addAll(JpaCheckpointStore.TABLES));
            ledger.ifAvailable(store -> tables.addAll(JpaBudgetLedger.TABLES));
            approvals.ifAvailable(store -> tables.addAll(JpaApprovalStore.TABLES));
            return tables;
        }, () -> GatewaySchemaVerifier.columnsMappedBy(entityManagerFactory),
                () -> String.join(", ", GatewaySchemaInitializer.schemaLocations(dataSource, properties)));
    }

    @Bean
    @ConditionalOnMissingBean(CallHistoryStore.class)
    public JpaCallHistoryStore agentGatewayCallHistoryStore(CallRecordRepository calls, ToolCallRecordRepository toolCalls,
                                                            DataSource dataSource,
                                                            PlatformTransactionManager transactionManager,
                                                            EntityManagerFactory entityManagerFactory,
                                                            GatewayPersistenceProperties properties) {
        return new JpaCallHistoryStore(calls, toolCalls, dataSource, transactionManager, entityManagerFactory,
                PersistenceSettingsMapper.history(properties.getHistory()));
    }

    @Bean
    @ConditionalOnMissingBean(CheckpointStore.class)
    public JpaCheckpointStore agentGatewayCheckpointStore(CheckpointRepository checkpoints,
                                                          PlatformTransactionManager transactionManager) {
        return new JpaCheckpointStore(checkpoints, transactionManager);
    }

    @Bean
    @ConditionalOnMissingBean(ApprovalStore.class)
    public JpaApprovalStore agentGatewayApprovalStore(ApprovalRepository approvals,
                                                      PlatformTransactionManager transactionManager) {
        return new JpaApprovalStore(approvals, transactionManager);
    }

    @Bean
    @ConditionalOnMissingBean(BudgetLedger.class)
    public JpaBudgetLedger agentGatewayBudgetLedger(BudgetRepository budgets, LedgerEpochRepository epochs, LeaseRepository leases,
                                                    PlatformTransactionManager transactionManager,
                                                    GatewayPersistenceProperties properties,
                                                    ObjectProvider<AgentGatewayProperties> gatewayProperties,
                                                    ObjectProvider<Clock> clock) {
        return new JpaBudgetLedger(budgets, epochs, leases, transactionManager, PersistenceSettingsMapper.budget(properties.getBudget()),
                longestCallTimeout(gatewayProperties.getIfAvailable()), clock.getIfUnique(Clock::systemUTC));
    }

    /** What a lease must outlast: the longest provider time-out, and the default one for providers configured nowhere. */
    static Duration longestCallTimeout(AgentGatewayProperties properties) {
        Duration longest = ProviderOptions.DEFAULT_TIMEOUT;
        if (properties != null) {
            for (AgentGatewayProperties.Provider provider : properties.getProviders().values()) {
                if (provider.getTimeout() != null && provider.getTimeout().compareTo(longest) > 0) {
                    longest = provider.getTimeout();
                }
            }
        }
        return longest;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "agent-gateway.persistence.retention", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public HistoryRetention agentGatewayHistoryRetention(CallRecordRepository calls, ToolCallRecordRepository toolCalls,
                                                         ObjectProvider<JpaBudgetLedger> ledger,
                                                         PlatformTransactionManager transactionManager,
                                                         GatewayPersistenceProperties properties, ObjectProvider<Clock> clock) {
        return new HistoryRetention(calls, toolCalls, ledger.getIfUnique(), transactionManager,
                PersistenceSettingsMapper.retention(properties.getRetention()),
                clock.getIfUnique(Clock::systemUTC));
    }
}
