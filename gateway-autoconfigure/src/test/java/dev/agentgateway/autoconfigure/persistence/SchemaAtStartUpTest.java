package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schema is there, or start-up says how to get it: missing tables stop start-up with Spring
 * Boot's failure report naming the database, the tables and the two fixes; the script that creates
 * them can be run by several instances at the same moment.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchemaAtStartUpTest {

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
    void onPostgresqlWithDefaultSettingsStartUpStopsNamingTheDatabaseTheTablesAndTheFixes(CapturedOutput output) {
        Map<String, String> properties = properties(freshDatabase());
        properties.remove("agent-gateway.jdbc.initialize-schema"); // the default: only embedded databases
        properties.remove("spring.jpa.hibernate.ddl-auto"); // Boot's default for PostgreSQL: none

        assertThatThrownBy(() -> StoreTestApplication.run(properties)).isInstanceOf(MissingGatewaySchemaException.class);

        assertThat(output).contains("APPLICATION FAILED TO START")
                .containsPattern("The PostgreSQL database at jdbc:postgresql://localhost:\\d+/agw_fresh_\\d+ has no table "
                        + "agw_call, agw_tool_call, agw_checkpoint, agw_budget, agw_ledger_epoch, agw_lease")
                .contains("agent-gateway.jdbc.initialize-schema=always")
                .contains("classpath:db/agent-gateway/postgresql/R__agent_gateway_schema.sql");
    }

    @Test
    void onAnH2FileDatabaseWithDefaultSettingsStartUpStopsNamingItsScript(@TempDir Path directory, CapturedOutput output) {
        Map<String, String> properties = AbstractPersistenceStoreTest.commonProperties();
        properties.put("spring.jpa.hibernate.ddl-auto", "none");
        properties.put("spring.datasource.url", "jdbc:h2:file:" + directory.resolve("app").toAbsolutePath() + ";MODE=Regular");

        assertThatThrownBy(() -> StoreTestApplication.run(properties)).isInstanceOf(MissingGatewaySchemaException.class);

        assertThat(output).contains("APPLICATION FAILED TO START").containsPattern("The H2 database at jdbc:h2:file:\\S+app has no table")
                .doesNotContain("MODE=Regular")
                .contains("classpath:db/agent-gateway/h2/R__agent_gateway_schema.sql");
    }

    @Test
    void onlyTheMissingTablesAreNamed() {
        assertThatThrownBy(startUpWithNeverAfter("drop table agw_lease"))
                .isInstanceOfSatisfying(MissingGatewaySchemaException.class,
                        missing -> assertThat(missing.missingTables()).containsExactly("agw_lease"));
    }

    @Test
    void aColumnMissingFromATableStopsStartUpNamingIt() {
        assertThatThrownBy(startUpWithNeverAfter("alter table agw_call drop column refused_by"))
                .isInstanceOfSatisfying(MissingGatewaySchemaException.class, missing -> {
                    assertThat(missing.missingTables()).isEmpty();
                    assertThat(missing.missingColumns()).containsExactly("agw_call.refused_by");
                    assertThat(missing).hasMessageContaining("has no column agw_call.refused_by, which");
                });
    }

    @Test
    void threeInstancesStartingAtTheSameMomentWithAlwaysAllStart() throws Exception {
        String database = freshDatabase();
        // Boot's logging set-up is not safe for three applications starting at once in one JVM (a
        // ConcurrentModificationException before any database work); the race under test is the schema's.
        String logging = System.setProperty(org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY,
                org.springframework.boot.logging.LoggingSystem.NONE);
        List<ConfigurableApplicationContext> started;
        try {
            started = runAtTheSameMoment(3, () -> StoreTestApplication.run(properties(database)));
        } finally {
            if (logging == null) {
                System.clearProperty(org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY);
            } else {
                System.setProperty(org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY, logging);
            }
        }
        try {
            assertThat(started).hasSize(3).allSatisfy(context -> assertThat(context.isActive()).isTrue());
        } finally {
            started.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    void theSchemaScriptRunsCleanlyFromThreeInstancesAtOnceOnAnEmptyDatabase() throws Exception {
        for (int round = 0; round < 5; round++) {
            String database = freshDatabase();
            GatewayJdbcProperties jdbc = new GatewayJdbcProperties();
            jdbc.setInitializeSchema(org.springframework.boot.sql.init.DatabaseInitializationMode.ALWAYS);
            List<Boolean> ran = runAtTheSameMoment(3, () -> {
                SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url(database), "postgres", "postgres", true);
                try {
                    GatewaySchemaInitializer initializer = new GatewaySchemaInitializer(dataSource, jdbc);
                    initializer.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader());
                    return initializer.initializeDatabase();
                } finally {
                    dataSource.destroy();
                }
            });
            assertThat(ran).as("round %d", round).containsExactly(true, true, true);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Start-up with initialize-schema=never on a new database the script made and {@code change} then altered. */
    private static ThrowableAssert.ThrowingCallable startUpWithNeverAfter(String change) {
        String database = freshDatabase();
        try (ConfigurableApplicationContext first = StoreTestApplication.run(properties(database))) {
            new JdbcTemplate(first.getBean(javax.sql.DataSource.class)).execute(change);
        }
        Map<String, String> properties = properties(database);
        properties.put("agent-gateway.jdbc.initialize-schema", "never");
        properties.put("spring.jpa.hibernate.ddl-auto", "none");
        return () -> StoreTestApplication.run(properties);
    }

    private static <T> List<T> runAtTheSameMoment(int instances, java.util.concurrent.Callable<T> start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return start.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(180, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A new, empty database on the one PostgreSQL server. */
    private static String freshDatabase() {
        String name = "agw_fresh_" + DATABASES.incrementAndGet();
        postgres.createDatabase(name);
        return name;
    }

    private static String url(String database) {
        return postgres.url(database);
    }

    private static Map<String, String> properties(String database) {
        Map<String, String> properties = AbstractPersistenceStoreTest.commonProperties();
        properties.putAll(postgres.springProperties());
        properties.put("spring.datasource.url", url(database));
        properties.put("spring.datasource.hikari.maximum-pool-size", "3");
        return properties;
    }
}
