package dev.agentgateway.autoconfigure.persistence;

import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.SelectableConsumer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks at start-up, once every bean is created (Hibernate's {@code ddl-auto} included), that the
 * tables of the gateway's JPA stores in use are there with every column their entities map; if any
 * is missing, start-up stops with {@link MissingGatewaySchemaException} rather than the first call
 * failing with a raw SQL error (for the history, on its writer thread, where nobody sees it). Each
 * table is probed with a query that reads no row, so it is found where the application's queries
 * will look for it (search path, default schema).
 */
public class GatewaySchemaVerifier implements SmartInitializingSingleton {

    private final DataSource dataSource;
    private final Supplier<List<String>> requiredTables;
    private final Supplier<Map<String, Set<String>>> mappedColumns;
    private final Supplier<String> script;

    /**
     * @param requiredTables the tables of the stores in use, asked for only when checking
     * @param mappedColumns  the columns each table must have, by table (lower case), asked for only when checking
     * @param script         the location of the schema script of this database, for the report
     */
    public GatewaySchemaVerifier(DataSource dataSource, Supplier<List<String>> requiredTables,
                                 Supplier<Map<String, Set<String>>> mappedColumns, Supplier<String> script) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.requiredTables = Objects.requireNonNull(requiredTables, "requiredTables");
        this.mappedColumns = Objects.requireNonNull(mappedColumns, "mappedColumns");
        this.script = Objects.requireNonNull(script, "script");
    }

    /** The columns the entities of {@code entityManagerFactory} map, by table, all in lower case. */
    public static Map<String, Set<String>> columnsMappedBy(EntityManagerFactory entityManagerFactory) {
        Map<String, Set<String>> columns = new HashMap<>();
        SelectableConsumer collect = (index, selectable) -> {
            if (!selectable.isFormula()) {
                columns.computeIfAbsent(lowerCase(selectable.getContainingTableExpression()), table -> new LinkedHashSet<>())
                        .add(lowerCase(selectable.getSelectionExpression()));
            }
        };
        entityManagerFactory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel().forEachEntityDescriptor(entity -> {
            entity.getIdentifierMapping().forEachSelectable(collect);
            entity.forEachAttributeMapping(attribute -> attribute.forEachSelectable(collect));
        });
        return columns;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> tables = requiredTables.get();
        if (tables.isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            Map<String, Set<String>> mapped = mappedColumns.get();
            List<String> missingTables = new ArrayList<>();
            List<String> missingColumns = new ArrayList<>();
            for (String table : tables) {
                Set<String> present = columnsOf(connection, table);
                if (present == null) {
                    missingTables.add(table);
                    continue;
                }
                for (String column : mapped.getOrDefault(table, Set.of())) {
                    if (!present.contains(column)) {
                        missingColumns.add(table + "." + column);
                    }
                }
            }
            if (!missingTables.isEmpty() || !missingColumns.isEmpty()) {
                throw new MissingGatewaySchemaException(describe(connection.getMetaData()), missingTables, missingColumns,
                        script.get());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the Agent Gateway's tables", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** The table's columns in lower case, or {@code null} when there is no such table. */
    private static Set<String> columnsOf(Connection connection, String table) {
        try (Statement statement = connection.createStatement();
             ResultSet none = statement.executeQuery("select * from " + table + " where 1 = 0")) {
            ResultSetMetaData metaData = none.getMetaData();
            Set<String> columns = new HashSet<>();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                columns.add(lowerCase(metaData.getColumnName(i)));
            }
            return columns;
        } catch (SQLException missing) {
            return null;
        }
    }

    /** H2 reports unquoted names in upper case, PostgreSQL in lower case. */
    private static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
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
