package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.approval.ApprovalAutoConfiguration;
import dev.agentgateway.autoconfigure.config.GatewayChecksAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.ProviderClientsAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.StepLimitExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An application without JPA, Spring Data JPA or a DataSource on its class path: the gateway runs on its in-memory stores. */
class WithoutJpaTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withClassLoader(new FilteredClassLoader("jakarta.persistence.", "org.springframework.data.jpa.",
                    "org.hibernate.", "javax.sql."))
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class, GatewayPersistenceAutoConfiguration.class,
                    ApprovalAutoConfiguration.class, GatewayAutoConfiguration.class, GatewayChecksAutoConfiguration.class,
                    AgentAutoConfiguration.class, ProviderClientsAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("agent-gateway.limits.max-steps=2");

    @Test
    void startsOnTheInMemoryStores() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(GatewayPersistenceAutoConfiguration.class);
            assertThat(context.getBean(CallHistoryStore.class)).isInstanceOf(InMemoryCallHistoryStore.class);
            assertThat(context.getBean(CheckpointStore.class)).isInstanceOf(InMemoryCheckpointStore.class);
            assertThat(context.getBean(BudgetLedger.class)).isInstanceOf(InMemoryBudgetLedger.class);
        });
    }

    @Test
    void governsACall() {
        runner.run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            gateway.call("agent", "mock", "m", "one");
            gateway.call("agent", "mock", "m", "two");
            assertThatThrownBy(() -> gateway.call("agent", "mock", "m", "three")).isInstanceOf(StepLimitExceededException.class);
            assertThat(gateway.getCallHistory(HistoryQuery.all())).hasSize(3);
        });
    }
}
