package dev.agentgateway.autoconfigure.persistence.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An application with nothing of its own but the starter: every auto-configuration on the class
 * path, as a user gets it. It lives in a package of its own so that Spring Boot's scanning of
 * "the application's package" does not reach the starter's entities.
 */
// started only as the application of its test, never picked up by another application's scanning
@ConditionalOnProperty(name = TestApplications.PROPERTY, havingValue = "store")
@SpringBootConfiguration
@EnableAutoConfiguration
public class StoreTestApplication {

    /** Starts the application with these properties (no web server, no banner). */
    public static ConfigurableApplicationContext run(Map<String, String> properties) {
        List<String> pairs = new ArrayList<>();
        pairs.add(TestApplications.select("store"));
        properties.forEach((key, value) -> pairs.add(key + "=" + value));
        SpringApplication application = new SpringApplicationBuilder(StoreTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(pairs.toArray(String[]::new))
                .build();
        return application.run();
    }
}
