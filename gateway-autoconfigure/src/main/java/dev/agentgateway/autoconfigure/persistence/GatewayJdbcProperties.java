package dev.agentgateway.autoconfigure.persistence;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * How the gateway's tables ({@code agw_*}) are created, under {@code agent-gateway.jdbc}. The schema
 * scripts ship in the starter jar, one per database; production teams can run them themselves and
 * set {@code initialize-schema=never}.
 */
@ConfigurationProperties(prefix = "agent-gateway.jdbc")
public class GatewayJdbcProperties {

    /** Default location of the schema scripts; {@code @@platform@@} becomes the database platform. */
    public static final String DEFAULT_SCHEMA_LOCATION = "classpath:db/agent-gateway/@@platform@@/R__agent_gateway_schema.sql";

    /**
     * When to run the schema script at start-up: "embedded" only for an embedded database such as
     * in-memory H2 (the default), "always", or "never" (the tables are created by other means).
     * The script only creates what is missing, so running it against an existing schema is safe.
     */
    private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

    /**
     * Location of the schema script. "@@platform@@" is replaced by the platform: h2 and postgresql
     * scripts are shipped.
     */
    private String schema = DEFAULT_SCHEMA_LOCATION;

    /** Platform to use in the schema location; detected from the DataSource when not set. */
    private String platform;

    /** Whether start-up goes on when a statement of the schema script fails. */
    private boolean continueOnError;

    /**
     * Whether an H2 database in a file gets "SET WRITE_DELAY 0" at start-up, so that every commit
     * (a checkpoint, a ledger change, a history batch) is in the file before it returns and
     * survives a killed JVM. When false, H2's own delay applies (500 ms unless set otherwise) and
     * the commits of that last moment are lost when the JVM is killed. In-memory H2 is left alone.
     */
    private boolean durableH2Commits = true;

    public DatabaseInitializationMode getInitializeSchema() {
        return initializeSchema;
    }

    public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
        this.initializeSchema = initializeSchema;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public String getPlatform() {
        return platform;
    }

    public void setPlatform(String platform) {
        this.platform = platform;
    }

    public boolean isContinueOnError() {
        return continueOnError;
    }

    public void setContinueOnError(boolean continueOnError) {
        this.continueOnError = continueOnError;
    }

    public boolean isDurableH2Commits() {
        return durableH2Commits;
    }

    public void setDurableH2Commits(boolean durableH2Commits) {
        this.durableH2Commits = durableH2Commits;
    }
}
