package dev.agentgateway.autoconfigure.persistence;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks at start-up, once every bean is created (Hibernate's {@code ddl-auto} included), that the
 * tables of the gateway's JPA stores in use are there; if any is missing, start-up stops with
 * {@link MissingGatewaySchemaException} rather than the first call failing with a raw SQL error.
 * Each table is probed with a query that reads no row, so it is found where the application's
 * queries will look for it (search path, default schema).
 */
public class GatewaySchemaVerifier implements SmartInitializingSingleton {

    private final DataSource dataSource;
    private final Supplier<List<String>> requiredTables;
    private final Supplier<String> script;

    /**
     * @param requiredTables the tables of the stores in use, asked for only when checking
     * @param script         the location of the schema script of this database, for the report
     */
    public GatewaySchemaVerifier(DataSource dataSource, Supplier<List<String>> requiredTables, Supplier<String> script) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.requiredTables = Objects.requireNonNull(requiredTables, "requiredTables");
        this.script = Objects.requireNonNull(script, "script");
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> tables = requiredTables.get();
        if (tables.isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            List<String> missing = new ArrayList<>();
            for (String table : tables) {
                if (!exists(connection, table)) {
                    missing.add(table);
                }
            }
            if (!missing.isEmpty()) {
                throw new MissingGatewaySchemaException(describe(connection.getMetaData()), missing, script.get());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the Agent Gateway's tables", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static boolean exists(Connection connection, String table) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("select 1 from " + table + " where 1 = 0").close();
            return true;
        } catch (SQLException missing) {
            return false;
        }
    }

    /** "PostgreSQL database at jdbc:postgresql://db:5432/app": parameters (which may hold secrets) left out. */
    static String describe(DatabaseMetaData metaData) throws SQLException {
        String url = metaData.getURL() == null ? "" : metaData.getURL();
        int parameters = indexOfAny(url, '?', ';');
        String bare = parameters < 0 ? url : url.substring(0, parameters);
        return metaData.getDatabaseProductName() + " database at " + bare.replaceAll("//[^/@]*@", "//");
    }

    private static int indexOfAny(String text, char... characters) {
        int first = -1;
        for (char character : characters) {
            int index = text.indexOf(character);
            if (index >= 0 && (first < 0 || index < first)) {
                first = index;
            }
        }
        return first;
    }
}
