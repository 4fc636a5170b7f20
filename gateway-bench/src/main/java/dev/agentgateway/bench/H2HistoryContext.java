package dev.agentgateway.bench;

import dev.agentgateway.autoconfigure.persistence.GatewayPersistenceAutoConfiguration;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The smallest Spring Boot context in which the starter creates its JPA call history
 * ({@code JpaCallHistoryStore}, by {@link GatewayPersistenceAutoConfiguration}): an embedded H2
 * DataSource (Hikari), Hibernate, transactions, and the starter's persistence. Nothing else: no
 * web server, no gateway auto-configuration (the benchmark builds its gateway as {@code b2} does
 * and hands it the store), no retention job. The store's settings are the starter's defaults:
 * queue 10 000, batches of 200, flush every 500 ms, block when full, payloads stored.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
        TransactionAutoConfiguration.class, GatewayPersistenceAutoConfiguration.class})
public class H2HistoryContext {

    /** The in-memory database of {@code b3} and of the throughput harness by default. */
    static final String IN_MEMORY_URL = "jdbc:h2:mem:agw-bench;DB_CLOSE_DELAY=-1";

    static ConfigurableApplicationContext start() {
        return start(IN_MEMORY_URL);
    }

    /** The context on the H2 database at {@code url} (in memory or a file). */
    static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(H2HistoryContext.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(
                        "spring.datasource.url=" + url,
                        "spring.datasource.username=sa",
                        "agent-gateway.persistence.retention.enabled=false",
                        // the schema script runs by itself on embedded databases only, and a file database is not one
                        "agent-gateway.jdbc.initialize-schema=always",
                        // Boot's logging system is java.util.logging here (no Logback on this classpath): keep it quiet
                        "logging.level.root=WARN")
                .run();
    }
}
