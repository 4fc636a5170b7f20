package dev.agentgateway.autoconfigure.persistence;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

import javax.sql.DataSource;
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

    static DatabaseInitializationSettings settings(DataSource dataSource, GatewayJdbcProperties properties) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setMode(properties.getInitializeSchema());
        settings.setContinueOnError(properties.isContinueOnError());
        if (properties.getInitializeSchema() != DatabaseInitializationMode.NEVER) {
            settings.setSchemaLocations(schemaLocations(dataSource, properties));
        }
        return settings;
    }

    private static List<String> schemaLocations(DataSource dataSource, GatewayJdbcProperties properties) {
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
