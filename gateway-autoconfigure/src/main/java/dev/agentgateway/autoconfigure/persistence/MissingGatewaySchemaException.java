package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.config.GatewayConfigurationException;

import java.util.List;

/**
 * The database lacks tables the gateway's JPA stores need. Spring Boot's failure report shows it
 * with the two ways to create them.
 */
public class MissingGatewaySchemaException extends GatewayConfigurationException {

    private final String database;
    private final List<String> missingTables;

    public MissingGatewaySchemaException(String database, List<String> missingTables, String script) {
        super("The " + database + " has no table " + String.join(", ", missingTables)
                        + ", which the Agent Gateway's call history, checkpoints and budget ledger are kept in.",
                "Create the tables in one of two ways: set agent-gateway.jdbc.initialize-schema=always, so that the "
                        + "starter runs its schema script at every start-up (it only creates what is missing), or run the "
                        + "script shipped in the starter, " + script + ", yourself (or from Flyway or Liquibase, see "
                        + "docs/operations.md). Or set agent-gateway.persistence.enabled=false to keep them in memory.");
        this.database = database;
        this.missingTables = List.copyOf(missingTables);
    }

    /** The database as the report names it: product and URL without parameters. */
    public String database() {
        return database;
    }

    public List<String> missingTables() {
        return missingTables;
    }
}
