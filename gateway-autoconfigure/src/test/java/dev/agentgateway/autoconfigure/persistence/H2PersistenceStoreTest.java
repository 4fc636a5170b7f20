package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;
import java.util.UUID;

/** The store tests on embedded H2: nothing configured but a database name and the test switches. */
class H2PersistenceStoreTest extends AbstractPersistenceStoreTest {

    private static ConfigurableApplicationContext context;
    private static Map<String, String> properties;

    @BeforeAll
    static void startApplication() {
        properties = commonProperties();
        properties.put("spring.datasource.url", "jdbc:h2:mem:agw-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        context = StoreTestApplication.run(properties);
    }

    @AfterAll
    static void stopApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Override
    protected ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    protected Map<String, String> propertiesOfAnEmptyDatabase() {
        Map<String, String> empty = commonProperties();
        empty.put("spring.datasource.url", "jdbc:h2:mem:agw-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return empty;
    }

    @Override
    protected ConfigurableApplicationContext startAnotherInstance() {
        return StoreTestApplication.run(properties);
    }
}
