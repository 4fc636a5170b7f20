package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import dev.agentgateway.autoconfigure.persistence.testapp.TestApplications;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.limits.StepLimitExceededException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An application that has Flyway or Liquibase creates the gateway's tables from its own migrations,
 * with the starter's initializer off ({@code initialize-schema=never}): the shipped scripts, included
 * as the docs say, are all the gateway needs. Hibernate validates the entities against the result
 * ({@code ddl-auto=validate}) and the start-up schema check runs, so a context that starts has every table.
 */
class SchemaMigrationsTest {

    private static final String FLYWAY_LOCATIONS = "classpath:db/test-app/migration,classpath:db/agent-gateway/{vendor}";
    private static final String LIQUIBASE_CHANGELOG = "classpath:db/test-app/changelog.yaml";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static EmbeddedPostgresSupport postgres;

    @BeforeAll
    static void startDatabase() {
        postgres = EmbeddedPostgresSupport.start();
    }

    @AfterAll
    static void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void flywayOnH2CreatesTheGatewayTablesBesideTheApplicationsOwnMigrations() {
        try (ConfigurableApplicationContext context = start(withFlyway(h2()))) {
            assertTheGatewayRecordsAndReserves(context);
            assertFlywayRanTheAppsVersionAndTheGatewaysRepeatable(context);
        }
    }

    @Test
    void flywayOnPostgresqlCreatesTheGatewayTablesBesideTheApplicationsOwnMigrations() {
        try (ConfigurableApplicationContext context = start(withFlyway(postgresql(freshDatabase())))) {
            assertTheGatewayRecordsAndReserves(context);
            assertFlywayRanTheAppsVersionAndTheGatewaysRepeatable(context);
        }
    }

    @Test
    void flywayStartingAgainOnAMigratedDatabaseRunsNothingTwice() {
        Map<String, String> properties = withFlyway(postgresql(freshDatabase()));
        start(properties).close();

        try (ConfigurableApplicationContext again = start(properties)) {
            assertThat(jdbc(again).queryForObject("select count(*) from flyway_schema_history where success and type = 'SQL'", Long.class))
                    .isEqualTo(2);
            assertTheGatewayRecordsAndReserves(again);
        }
    }

    @Test
    void liquibaseOnPostgresqlCreatesTheGatewayTablesFromTheIncludedChangelog() {
        Map<String, String> properties = postgresql(freshDatabase());
        properties.put("spring.liquibase.enabled", "true");
        properties.put("spring.liquibase.change-log", LIQUIBASE_CHANGELOG);

        try (ConfigurableApplicationContext context = start(properties)) {
            assertTheGatewayRecordsAndReserves(context);
            assertThat(jdbc(context).queryForList("select id from databasechangelog order by orderexecuted", String.class))
                    .containsExactly("agent-gateway-schema-postgresql", "app-orders");
        }
    }

    @Test
    void liquibaseStartingAgainOnAMigratedDatabaseStarts() {
        Map<String, String> properties = postgresql(freshDatabase());
        properties.put("spring.liquibase.enabled", "true");
        properties.put("spring.liquibase.change-log", LIQUIBASE_CHANGELOG);
        start(properties).close();

        try (ConfigurableApplicationContext again = start(properties)) {
            assertThat(jdbc(again).queryForObject("select count(*) from databasechangelog", Long.class)).isEqualTo(2);
            assertTheGatewayRecordsAndReserves(again);
        }
    }

    // ---- what "the gateway works" means here ---------------------------------------------------

    /** A governed call is recorded in agw_call and committed in agw_budget; a reservation is a lease that holds. */
    private static void assertTheGatewayRecordsAndReserves(ConfigurableApplicationContext context) {
        Gateway gateway = context.getBean(Gateway.class);
        String agent = "migrated-" + UUID.randomUUID();
        gateway.call(GatewayCall.builder().agentId(agent).provider("mock").model("mock-model").user("hello")
                .tenant(agent).build());

        JdbcTemplate jdbc = jdbc(context);
        await().untilAsserted(() -> assertThat(jdbc.queryForObject("select count(*) from agw_call where agent_id = ?", Long.class, agent))
                .as("written behind by the history writer").isEqualTo(1));
        BudgetLedger ledger = context.getBean(BudgetLedger.class);
        assertThat(ledger.usage(LimitScope.tenant(agent)).committedSteps()).isEqualTo(1);

        List<ScopedLimit> oneMoreStep = List.of(new ScopedLimit(LimitScope.tenant(agent), ScopeLimits.of(2, null)));
        ledger.reserve(agent, oneMoreStep, BigDecimal.ZERO);
        assertThat(jdbc.queryForObject("select count(*) from agw_lease where scope_id = ?", Long.class, agent)).isEqualTo(1);
        assertThatThrownBy(() -> ledger.reserve(agent, oneMoreStep, BigDecimal.ZERO))
                .isInstanceOf(StepLimitExceededException.class);
    }

    private static void assertFlywayRanTheAppsVersionAndTheGatewaysRepeatable(ConfigurableApplicationContext context) {
        assertThat(jdbc(context).queryForList(
                "select coalesce(\"version\", 'repeatable') || ' ' || \"script\" from \"flyway_schema_history\" "
                        + "where \"success\" and \"type\" = 'SQL' order by \"installed_rank\"", String.class))
                .containsExactly("1 V1__app_orders.sql", "repeatable R__agent_gateway_schema.sql");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * The starter-only application, its properties given as command-line arguments: they must outrank the
     * test class path's application.properties, which keeps Flyway and Liquibase off for every other test.
     */
    private static ConfigurableApplicationContext start(Map<String, String> properties) {
        String[] arguments = properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(StoreTestApplication.class).web(WebApplicationType.NONE)
                .properties(TestApplications.select("store")).run(arguments);
    }

    private static Map<String, String> withFlyway(Map<String, String> properties) {
        properties.put("spring.flyway.enabled", "true");
        properties.put("spring.flyway.locations", FLYWAY_LOCATIONS);
        return properties;
    }

    /** An in-memory H2 of its own, the starter's initializer off. */
    private static Map<String, String> h2() {
        Map<String, String> properties = AbstractPersistenceStoreTest.commonProperties();
        properties.put("spring.datasource.url", "jdbc:h2:mem:agw-migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        properties.put("agent-gateway.jdbc.initialize-schema", "never");
        return properties;
    }

    /** A database of its own on the one PostgreSQL server, the starter's initializer off. */
    private static Map<String, String> postgresql(String database) {
        Map<String, String> properties = AbstractPersistenceStoreTest.commonProperties();
        properties.putAll(postgres.springProperties());
        properties.put("spring.datasource.url", postgres.url(database));
        properties.put("agent-gateway.jdbc.initialize-schema", "never");
        return properties;
    }

    private static String freshDatabase() {
        String name = "agw_migrations_" + DATABASES.incrementAndGet();
        postgres.createDatabase(name);
        return name;
    }

    private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class));
    }
}
