package dev.agentgateway.autoconfigure.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes an H2 database that lives in a file write every commit to that file before the commit
 * returns. H2 otherwise holds commits in memory for up to its {@code WRITE_DELAY} (500 ms by
 * default), so a JVM killed just after a checkpoint was saved would lose the checkpoint.
 * In-memory databases die with the JVM anyway and are left alone.
 *
 * <p>{@code SET WRITE_DELAY} is persistent in the database and needs admin rights; without them
 * start-up goes on and a warning says what to set.
 */
final class H2Durability {

    private static final Logger log = LoggerFactory.getLogger(H2Durability.class);

    private H2Durability() {
    }

    static void makeCommitsDurable(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            if (!"H2".equals(metaData.getDatabaseProductName()) || metaData.getURL().startsWith("jdbc:h2:mem:")) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                if (writeDelay(statement) != 0) {
                    statement.execute("SET WRITE_DELAY 0");
                    log.info("Set WRITE_DELAY 0 on the H2 database: a committed checkpoint, ledger change or history batch "
                            + "is in its file before the commit returns");
                }
            }
        } catch (SQLException e) {
            log.warn("Could not set WRITE_DELAY 0 on the H2 database ({}): commits of the last half second are lost if the "
                    + "JVM is killed. Add ';WRITE_DELAY=0' to spring.datasource.url, or run 'SET WRITE_DELAY 0' as an admin",
                    e.getMessage());
        }
    }

    private static int writeDelay(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery(
                "select setting_value from information_schema.settings where setting_name = 'WRITE_DELAY'")) {
            return result.next() ? Integer.parseInt(result.getString(1).trim()) : -1;
        }
    }
}
