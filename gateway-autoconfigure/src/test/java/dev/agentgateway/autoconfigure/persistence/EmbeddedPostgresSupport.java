package dev.agentgateway.autoconfigure.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real PostgreSQL, started from Maven's class path (no Docker); one per test class. */
final class EmbeddedPostgresSupport implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresSupport(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresSupport start() {
        try {
            // a throw-away database: durability is not what these tests are about, speed is
            return new EmbeddedPostgresSupport(EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The URL of a database of that name on this server (the server's own is "postgres"). */
    String url(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    /** Creates a new, empty database of that name on this server. */
    void createDatabase(String name) {
        new JdbcTemplate(new DriverManagerDataSource(url("postgres"), "postgres", "postgres")).execute("create database " + name);
    }

    /** Spring properties pointing an application at this database, with the schema script run at start-up. */
    Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", url("postgres"));
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "postgres");
        properties.put("agent-gateway.jdbc.initialize-schema", "always");
        return properties;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
