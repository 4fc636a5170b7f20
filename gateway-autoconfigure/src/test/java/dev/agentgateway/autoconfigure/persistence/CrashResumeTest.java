package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.testapp.CrashResumeChild;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash-resume across JVMs: a child JVM runs a tool loop with checkpointing on PostgreSQL and is
 * killed (SIGKILL) in its second tool turn, after one of that turn's two tools finished; a second
 * JVM resumes the run from the checkpoint. Every tool ran exactly once, as the tools' own counts
 * in the database show.
 */
class CrashResumeTest {

    private static EmbeddedPostgresSupport postgres;
    private static JdbcTemplate jdbc;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void startDatabase() {
        postgres = EmbeddedPostgresSupport.start();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.springProperties().get("spring.datasource.url"),
                "postgres", "postgres");
        jdbc = new JdbcTemplate(dataSource);
        // as a production team would: run the shipped script before the applications start
        new org.springframework.jdbc.datasource.init.ResourceDatabasePopulator(
                new org.springframework.core.io.ClassPathResource("db/agent-gateway/postgresql/R__agent_gateway_schema.sql"))
                .execute(dataSource);
        jdbc.execute("create table crash_tool_runs (tool_name varchar(32) primary key, runs integer not null)");
        for (String tool : List.of("fetch", "enrich", "slow")) {
            jdbc.update("insert into crash_tool_runs (tool_name, runs) values (?, 0)", tool);
        }
    }

    @AfterAll
    static void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aRunKilledMidTurnIsResumedByAnotherJvmWithoutRunningAFinishedToolTwice() throws Exception {
        Path crashLog = Files.createTempFile("agw-crash-run", ".log");
        Path resumeLog = Files.createTempFile("agw-resume-run", ".log");

        Process crashing = child("crash", crashLog);
        try {
            // the first tool turn is done and, in the second, enrich has finished and been checkpointed while slow still runs
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .failFast("the child JVM died on its own", () -> !crashing.isAlive())
                    .until(CrashResumeTest::enrichIsCheckpointedWhileSlowRuns);
        } finally {
            crashing.destroyForcibly();
            assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(crashing.exitValue()).as("killed, not finished").isNotZero();
        assertThat(runs()).containsExactlyInAnyOrderEntriesOf(Map.of("fetch", 1, "enrich", 1, "slow", 0));
        assertThat(read(crashLog)).contains("STARTING").doesNotContain("UNEXPECTED");

        Process resuming = child("resume", resumeLog);
        assertThat(resuming.waitFor(90, TimeUnit.SECONDS)).as("the resuming JVM finishes").isTrue();
        String output = read(resumeLog);
        assertThat(resuming.exitValue()).as(output).isZero();

        assertThat(runs()).as("each tool ran exactly once over both JVMs")
                .containsExactlyInAnyOrderEntriesOf(Map.of("fetch", 1, "enrich", 1, "slow", 1));
        assertThat(output).contains("RESULT: done: [fetch result, enrich result, slow result]")
                .contains("MODEL REQUESTS: 1"); // only the final turn: the finished turns were not asked again
        assertThat(jdbc.queryForObject("select finished from agw_checkpoint where workflow_id = ? order by step desc limit 1",
                Boolean.class, CrashResumeChild.WORKFLOW_ID)).isTrue();
        // the resuming JVM shut down normally: its history, the slow tool's call included, was written
        assertThat(jdbc.queryForObject("select count(*) from agw_tool_call where tool_name = 'slow' and outcome = 'SUCCESS'",
                Long.class)).isEqualTo(1);
        Files.deleteIfExists(crashLog);
        Files.deleteIfExists(resumeLog);
    }

    private static boolean enrichIsCheckpointedWhileSlowRuns() {
        List<Map<String, Object>> latest = jdbc.queryForList("select pending_tool_calls_json, completed_tool_results_json "
                + "from agw_checkpoint where workflow_id = ? order by step desc limit 1", CrashResumeChild.WORKFLOW_ID);
        if (latest.isEmpty() || latest.get(0).get("pending_tool_calls_json") == null) {
            return false;
        }
        JsonNode pending = JSON.readTree((String) latest.get(0).get("pending_tool_calls_json"));
        JsonNode completed = JSON.readTree((String) latest.get(0).get("completed_tool_results_json"));
        String enrichId = null;
        for (JsonNode call : pending) {
            if (call.get("name").asString().equals("enrich")) {
                enrichId = call.get("id").asString();
            }
        }
        return enrichId != null && completed.has(enrichId) && runs().get("enrich") == 1;
    }

    private static Map<String, Integer> runs() {
        Map<String, Integer> runs = new java.util.HashMap<>();
        jdbc.query("select tool_name, runs from crash_tool_runs", row -> {
            runs.put(row.getString(1), row.getInt(2));
        });
        return runs;
    }

    private static Process child(String mode, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CrashResumeChild.class.getName(), mode,
                postgres.springProperties().get("spring.datasource.url"));
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        return builder.start();
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
