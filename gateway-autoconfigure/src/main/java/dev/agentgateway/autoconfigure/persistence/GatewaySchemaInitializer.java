package dev.agentgateway.autoconfigure.persistence;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.UncategorizedScriptException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Creates the gateway's tables from the schema script of the database in use, the way Spring Boot
 * initialises a database: as a {@link DataSourceScriptDatabaseInitializer}, so that it runs before
 * the JPA {@code EntityManagerFactory} and everything else that uses the database. Whether it runs
 * is {@code agent-gateway.jdbc.initialize-schema} ({@code embedded} by default). The scripts only
 * create what is missing ({@code create ... if not exists}).
 *
 * <p>Being what runs first on the database, it also makes an H2 file database's commits durable
 * ({@link H2Durability}, {@code agent-gateway.jdbc.durable-h2-commits}) before any store writes.
 */
public class GatewaySchemaInitializer extends DataSourceScriptDatabaseInitializer {

    /** The PostgreSQL advisory lock key the schema script runs under ("agw-schm" in ASCII). */
    static final long SCHEMA_LOCK = 0x6167772d7363686dL;

    private final boolean durableH2Commits;

    public GatewaySchemaInitializer(DataSource dataSource, GatewayJdbcProperties properties) {
        super(dataSource, settings(dataSource, properties));
        this.durableH2Commits = properties.isDurableH2Commits();
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        if (durableH2Commits) {
            H2Durability.makeCommitsDurable(getDataSource());
        }
        super.afterPropertiesSet();
    }

    /**
     * Runs the scripts on one connection. On PostgreSQL that connection first takes an advisory
     * lock, so that instances starting at the same moment run the script one after the other:
     * PostgreSQL's {@code create ... if not exists} is not safe against a concurrent create of the
     * same table (one of them fails on a catalog unique index).
     */
    @Override
    protected void runScripts(Scripts scripts) {
        ResourceDatabasePopulator populator = new ResourceDatabasePopulator();
        populator.setContinueOnError(scripts.isContinueOnError());
        populator.setSeparator(scripts.getSeparator());
        if (scripts.getEncoding() != null) {
            populator.setSqlScriptEncoding(scripts.getEncoding().name());
        }
        scripts.forEach(populator::addScript);
        DataSource dataSource = getDataSource();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            boolean postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            if (postgres) {
                advisoryLock(connection, "pg_advisory_lock");
            }
            try {
                populator.populate(connection);
            } finally {
                if (postgres) {
                    advisoryLock(connection, "pg_advisory_unlock");
                }
            }
        } catch (SQLException e) {
            throw new UncategorizedScriptException("Could not run the Agent Gateway's schema script", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static void advisoryLock(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?)")) {
            statement.setLong(1, SCHEMA_LOCK);
            statement.executeQuery().close();
        }
    }

    static DatabaseInitializationSettings settings(DataSource dataSource, GatewayJdbcProperties properties) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setMode(properties.getInitializeSchema());
        settings.setContinueOnError(properties.isContinueOnError());
        if (properties.getInitializeSchema() != DatabaseInitializationMode.NEVER) {
            settings.setSchemaLocations(schemaLocations(dataSource, properties));
        }
        return settings;
    }

    /** Where the schema script of this database is, as the properties say. */
    static List<String> schemaLocations(DataSource dataSource, GatewayJdbcProperties properties) {
        PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver();
        if (properties.getPlatform() != null && !properties.getPlatform().isBlank()) {
            return resolver.resolveAll(properties.getPlatform(), properties.getSchema());
        }
        if (!properties.getSchema().contains("@@platform@@")) {
            return List.of(properties.getSchema());
        }
        return resolver.resolveAll(dataSource, properties.getSchema());
    }
}
