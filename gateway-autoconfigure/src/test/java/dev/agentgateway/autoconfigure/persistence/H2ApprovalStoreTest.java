package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;
import java.util.UUID;

/** The approval store of two instances on one embedded H2 database. */
class H2ApprovalStoreTest extends AbstractApprovalStoreTest {

    private static ConfigurableApplicationContext instance;
    private static ConfigurableApplicationContext otherInstance;

    @BeforeAll
    static void startInstances() {
        Map<String, String> properties = commonProperties();
        properties.put("spring.datasource.url", "jdbc:h2:mem:agw-approvals-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        instance = StoreTestApplication.run(properties);
        otherInstance = StoreTestApplication.run(properties);
    }

    @AfterAll
    static void stopInstances() {
        if (otherInstance != null) {
            otherInstance.close();
        }
        if (instance != null) {
            instance.close();
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
