package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.FullQueuePolicy;
import dev.agentgateway.spring.persistence.HistoryRetention;
import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import dev.agentgateway.spring.persistence.JpaCheckpointStore;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the JPA stores replace the in-memory ones, and what the properties change. (Spring Boot's
 * own repository auto-configuration is left out here: it needs an application package, and the
 * starter registers its repositories without it.)
 */
class GatewayPersistenceAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class, GatewayPersistenceAutoConfiguration.class, GatewayAutoConfiguration.class))
            .withPropertyValues("agent-gateway.persistence.retention.enabled=false");

    @Test
    void withADataSourceAndJpaTheStoresAreJpaAndTheSchemaIsCreated() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CallHistoryStore.class)).isInstanceOf(JpaCallHistoryStore.class);
            assertThat(context.getBean(CheckpointStore.class)).isInstanceOf(JpaCheckpointStore.class);
            assertThat(context.getBean(BudgetLedger.class)).isInstanceOf(JpaBudgetLedger.class);
            assertThat(gatewayTables(context)).containsExactlyInAnyOrder("AGW_CALL", "AGW_TOOL_CALL", "AGW_CHECKPOINT",
                    "AGW_BUDGET", "AGW_LEDGER_EPOCH", "AGW_LEASE", "AGW_APPROVAL");
        });
    }

    @Test
    void aLeaseOutlastsTheLongestProviderTimeOutByAMinute() {
        runner.run(context -> assertThat(context.getBean(JpaBudgetLedger.class).leaseTime())
                .as("the default provider time-out, 60s, plus 1 min").isEqualTo(java.time.Duration.ofMinutes(2)));
        dev.agentgateway.autoconfigure.AgentGatewayProperties properties = new dev.agentgateway.autoconfigure.AgentGatewayProperties();
        properties.getProviders().put("slow", provider(java.time.Duration.ofMinutes(5)));
        properties.getProviders().put("fast", provider(java.time.Duration.ofSeconds(10)));
        assertThat(GatewayPersistenceAutoConfiguration.longestCallTimeout(properties)).isEqualTo(java.time.Duration.ofMinutes(5));
    }

    private static dev.agentgateway.autoconfigure.AgentGatewayProperties.Provider provider(java.time.Duration timeout) {
        dev.agentgateway.autoconfigure.AgentGatewayProperties.Provider provider =
                new dev.agentgateway.autoconfigure.AgentGatewayProperties.Provider();
        provider.setTimeout(timeout);
        return provider;
    }

    @Test
    void theLeaseTimeAndInstanceIdCanBeSet() {
        runner.withPropertyValues("agent-gateway.persistence.budget.lease-time=45s",
                "agent-gateway.persistence.budget.instance-id=node-7").run(context -> {
                    JpaBudgetLedger ledger = context.getBean(JpaBudgetLedger.class);
                    assertThat(ledger.leaseTime()).isEqualTo(java.time.Duration.ofSeconds(45));
                    assertThat(ledger.instanceId()).isEqualTo("node-7");
                });
    }

    @Test
    void aLeaseTimeThatIsNotPositiveStopsStartUpAsAValidationError() {
        runner.withPropertyValues("agent-gateway.persistence.budget.lease-time=0s").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("BindValidationException")
                .hasStackTraceContaining("on field 'budget.leaseTime': rejected value [PT0S]"));
    }

    @Test
    void switchedOffTheStoresStayInMemory() {
        runner.withPropertyValues("agent-gateway.persistence.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(JpaCallHistoryStore.class).doesNotHaveBean(GatewaySchemaInitializer.class);
            assertThat(context.getBean(CallHistoryStore.class)).isInstanceOf(InMemoryCallHistoryStore.class);
            assertThat(context.getBean(CheckpointStore.class)).isInstanceOf(InMemoryCheckpointStore.class);
            assertThat(context.getBean(BudgetLedger.class)).isInstanceOf(InMemoryBudgetLedger.class);
        });
    }

    @Test
    void withoutADataSourceTheStoresStayInMemory() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GatewayPersistenceAutoConfiguration.class, GatewayAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JpaCallHistoryStore.class);
                    assertThat(context.getBean(BudgetLedger.class)).isInstanceOf(InMemoryBudgetLedger.class);
                });
    }

    @Test
    void aStoreOfTheApplicationWinsAndTheOthersStayJpa() {
        runner.withUserConfiguration(OwnHistory.class).run(context -> {
            assertThat(context.getBean(CallHistoryStore.class)).isSameAs(context.getBean("ownHistory"));
            assertThat(context.getBean(BudgetLedger.class)).isInstanceOf(JpaBudgetLedger.class);
            assertThat(context.getBean(CheckpointStore.class)).isInstanceOf(JpaCheckpointStore.class);
        });
    }

    @Test
    void initializeSchemaNeverLeavesTheDatabaseAloneAndStartUpSaysWhatIsMissing() {
        runner.withPropertyValues("agent-gateway.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> assertThat(context).getFailure().isInstanceOfSatisfying(MissingGatewaySchemaException.class,
                        missing -> assertThat(missing.missingTables()).containsExactly("agw_call", "agw_tool_call",
                                "agw_checkpoint", "agw_budget", "agw_ledger_epoch", "agw_lease", "agw_approval")));
    }

    @Test
    void onlyTheTablesOfTheJpaStoresInUseAreRequired() {
        runner.withUserConfiguration(OwnHistory.class)
                .withPropertyValues("agent-gateway.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> assertThat(context).getFailure().isInstanceOfSatisfying(MissingGatewaySchemaException.class,
                        missing -> assertThat(missing.missingTables()).doesNotContain("agw_call", "agw_tool_call")
                                .contains("agw_checkpoint")));
    }

    @Test
    void aFileDatabaseIsNotEmbeddedSoOnlyAlwaysCreatesTheSchema(@TempDir Path directory) {
        String url = "spring.datasource.url=jdbc:h2:file:" + directory.resolve("gateway").toAbsolutePath();
        runner.withPropertyValues(url, "spring.jpa.hibernate.ddl-auto=none").run(context ->
                assertThat(context).getFailure().isInstanceOfSatisfying(MissingGatewaySchemaException.class,
                        missing -> assertThat(missing.missingTables()).hasSize(7)));
        runner.withPropertyValues(url, "spring.jpa.hibernate.ddl-auto=validate", "agent-gateway.jdbc.initialize-schema=always")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(gatewayTables(context)).hasSize(7);
                });
        // the script only creates what is missing: a second start on the same database is fine
        runner.withPropertyValues(url, "spring.jpa.hibernate.ddl-auto=validate", "agent-gateway.jdbc.initialize-schema=always")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void onH2AColumnMissingFromATableIsNamedToo(@TempDir Path directory) {
        String url = "spring.datasource.url=jdbc:h2:file:" + directory.resolve("gateway").toAbsolutePath();
        runner.withPropertyValues(url, "agent-gateway.jdbc.initialize-schema=always").run(context ->
                new JdbcTemplate(context.getBean(DataSource.class)).execute("alter table agw_call drop column overrun"));
        runner.withPropertyValues(url, "spring.jpa.hibernate.ddl-auto=none").run(context ->
                assertThat(context).getFailure().isInstanceOfSatisfying(MissingGatewaySchemaException.class, missing -> {
                    assertThat(missing.missingTables()).isEmpty();
                    assertThat(missing.missingColumns()).containsExactly("agw_call.overrun");
                }));
    }

    @Test
    void propertiesReachTheStores() {
        runner.withPropertyValues("agent-gateway.persistence.history.queue-capacity=7",
                "agent-gateway.persistence.history.full-queue-policy=drop",
                "agent-gateway.persistence.budget.tenant-window=monthly").run(context -> {
            JpaCallHistoryStore history = context.getBean(JpaCallHistoryStore.class);
            assertThat(history.queueCapacity()).isEqualTo(7);
            assertThat(history.fullQueuePolicy()).isEqualTo(FullQueuePolicy.DROP);
            String window = context.getBean(JpaBudgetLedger.class).currentTenantWindow();
            assertThat(window).isIn(YearMonth.now(ZoneOffset.UTC).toString(), YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString());
        });
    }

    @Test
    void theRetentionScheduleIsOnByDefaultAndABadCronFailsStartUp() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                        TransactionAutoConfiguration.class, GatewayPersistenceAutoConfiguration.class,
                        GatewayAutoConfiguration.class))
                .run(context -> assertThat(context.getBean(HistoryRetention.class).isRunning()).isTrue());
        runner.withPropertyValues("agent-gateway.persistence.retention.enabled=true",
                "agent-gateway.persistence.retention.purge-cron=every hour").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("every hour"));
    }

    private static List<String> gatewayTables(ApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class)).queryForList(
                "select table_name from information_schema.tables where upper(table_name) like 'AGW\\_%' escape '\\'",
                String.class).stream().map(String::toUpperCase).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHistory {

        @Bean
        CallHistoryStore ownHistory() {
            return new CallHistoryStore() {
                @Override
                public void append(CallRecord record) {
                }

                @Override
                public void appendToolCall(ToolCallRecord record) {
                }

                @Override
                public List<CallRecord> find(HistoryQuery query) {
                    return List.of();
                }

                @Override
                public List<ToolCallRecord> findToolCalls(HistoryQuery query) {
                    return List.of();
                }

                @Override
                public void clear() {
                }
            };
        }
    }
}
