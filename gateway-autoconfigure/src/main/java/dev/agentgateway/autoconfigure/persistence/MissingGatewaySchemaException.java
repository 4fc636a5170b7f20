package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.config.GatewayConfigurationException;

import java.util.ArrayList;
import java.util.List;

/**
 * The database lacks tables the gateway's JPA stores need, or columns of them (a table made by an
 * earlier schema script). Spring Boot's failure report shows it with the two ways to create them.
 */
public class MissingGatewaySchemaException extends GatewayConfigurationException {

    private final String database;
    private final List<String> missingTables;
    private final List<String> missingColumns;

    /** @param missingColumns {@code table.column} of each column missing from a table that is there */
    public MissingGatewaySchemaException(String database, List<String> missingTables, List<String> missingColumns,
                                         String script) {
        super("The " + database + " has " + missing(missingTables, missingColumns)
                        + ", which the Agent Gateway's call history, checkpoints and budget ledger are kept in.",
                "Create " + (missingColumns.isEmpty() ? "the tables" : "what is missing") + " in one of two ways: set agent-gateway.jdbc.initialize-schema=always, so that the "
                        + "starter runs its schema script at every start-up (it only creates what is missing), or run the "
                        + "script shipped in the starter, " + script + ", yourself (or from Flyway or Liquibase, see "
                        + "docs/operations.md). Or set agent-gateway.persistence.enabled=false to keep them in memory.");
        this.database = database;
        this.missingTables = List.copyOf(missingTables);
        this.missingColumns = List.copyOf(missingColumns);
    }

    private static String missing(List<String> tables, List<String> columns) {
        List<String> parts = new ArrayList<>(2);
        if (!tables.isEmpty()) {
            parts.add("no table " + String.join(", ", tables));
        }
        if (!columns.isEmpty()) {
            parts.add("no column " + String.join(", ", columns));
        }
        return String.join(" and ", parts);
    }

    /** The database as the report names it: product and URL without parameters. */
    public String database() {
        return database;
    }

    public List<String> missingTables() {
        return missingTables;
    }

    /** {@code table.column} of each column missing from a table that is there. */
    public List<String> missingColumns() {
        return missingColumns;
    }
}
