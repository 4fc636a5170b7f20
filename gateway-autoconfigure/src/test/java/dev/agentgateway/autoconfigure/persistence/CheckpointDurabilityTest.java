package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.JpaCheckpointStore;
import dev.agentgateway.autoconfigure.persistence.testapp.CheckpointSaverChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link JpaCheckpointStore} promises: a checkpoint whose save has returned survives a crash
 * of the JVM. A child JVM saves checkpoints one after another on each supported database and is
 * killed (SIGKILL) in the middle of it; every checkpoint it had reported saved is in the database.
 */
class CheckpointDurabilityTest {

    private static final Pattern SAVED = Pattern.compile("SAVED (\\d+)");

    @Test
    void checkpointsSavedJustBeforeAKillSurviveOnAnH2FileDatabase(@TempDir Path directory) throws Exception {
        // H2's own defaults: nothing in the URL about durability
        String url = "jdbc:h2:file:" + directory.resolve("gateway").toAbsolutePath();

        int saved = saveUntilKilled(url, "sa", "");

        assertThat(checkpointsUpTo(url, "sa", "", saved)).as("checkpoints 1..%d", saved).isEqualTo(saved);
    }

    @Test
    void checkpointsSavedJustBeforeAKillSurviveOnPostgresql() throws Exception {
        try (EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.start()) {
            String url = postgres.springProperties().get("spring.datasource.url");

            int saved = saveUntilKilled(url, "postgres", "postgres");

            assertThat(checkpointsUpTo(url, "postgres", "postgres", saved)).as("checkpoints 1..%d", saved).isEqualTo(saved);
        }
    }

    /** Starts the saving JVM, kills it once it is saving at full speed, and returns the last step it reported saved. */
    private static int saveUntilKilled(String url, String user, String password) throws Exception {
        Path log = Files.createTempFile("agw-checkpoint-saver", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process saver = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CheckpointSaverChild.class.getName(), url, user, password)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .failFast("the saving JVM died on its own", () -> !saver.isAlive())
                    .until(() -> lastSaved(log) >= 200);
        } finally {
            saver.destroyForcibly();
            assertThat(saver.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        int saved = lastSaved(log);
        assertThat(saved).as(Files.readString(log, StandardCharsets.UTF_8)).isGreaterThanOrEqualTo(200);
        Files.deleteIfExists(log);
        return saved;
    }

    private static int lastSaved(Path log) throws IOException {
        Matcher matcher = SAVED.matcher(Files.readString(log, StandardCharsets.UTF_8));
        int last = 0;
        while (matcher.find()) {
            last = Integer.parseInt(matcher.group(1));
        }
        return last;
    }

    private static long checkpointsUpTo(String url, String user, String password, int step) {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, user, password, true);
        try {
            return new JdbcTemplate(dataSource).queryForObject(
                    "select count(*) from agw_checkpoint where workflow_id = ? and step <= ?", Long.class,
                    CheckpointSaverChild.WORKFLOW_ID, step);
        } finally {
            dataSource.destroy();
        }
    }
}
