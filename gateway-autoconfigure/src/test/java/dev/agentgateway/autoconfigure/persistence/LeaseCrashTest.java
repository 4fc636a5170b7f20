package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import dev.agentgateway.spring.persistence.jpa.BudgetRepository;
import dev.agentgateway.spring.persistence.jpa.LeaseRepository;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochRepository;
import dev.agentgateway.autoconfigure.persistence.testapp.LeaseCrashChild;
import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.StepLimitExceededException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JVM killed (SIGKILL) during a call leaves the slice it held (here: one call, the limit is
 * near) in the shared ledger as a lease. Another gateway on the same database keeps it until it expires, then gives it back: in
 * the end the limit allows exactly the calls that really ran plus the ones it still has room for,
 * on H2 (a file database, opened after the killed JVM) and on PostgreSQL.
 */
class LeaseCrashTest {

    @Test
    void aLeaseLeftByAKilledJvmIsReclaimedAfterItExpiresOnH2(@TempDir Path directory) throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("ledger").toAbsolutePath();
        // 5 steps leave no sixteenth: the killed JVM holds slices of one call (the one in flight, perhaps one more)
        crashThenReclaim(url, "sa", "", 5, 1);
    }

    @Test
    void aLeaseLeftByAKilledJvmIsReclaimedAfterItExpiresOnPostgresql() throws Exception {
        try (EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.start()) {
            crashThenReclaim(postgres.springProperties().get("spring.datasource.url"), "postgres", "postgres", 5, 1);
        }
    }

    @Test
    void theUnusedPartOfAKilledJvmsSliceComesBackAfterItsLeaseExpires() throws Exception {
        try (EmbeddedPostgresSupport postgres = EmbeddedPostgresSupport.start()) {
            // of 100 steps the child leases 6 (a sixteenth) and dies with 3 settled and its lease holding the rest
            // (1 in flight, the others unused, and what it topped up ahead of time)
            crashThenReclaim(postgres.springProperties().get("spring.datasource.url"), "postgres", "postgres", 100, 3);
        }
    }

    /**
     * Kills the child in its fourth call; then a survivor gets exactly the steps nobody holds, and
     * once the child's lease has expired exactly the steps it held ({@code leastHeld} or more).
     */
    private static void crashThenReclaim(String url, String user, String password, int maxSteps, long leastHeld)
            throws Exception {
        killDuringACall(url, user, password, maxSteps);

        Map<String, String> properties = AbstractPersistenceStoreTest.commonProperties();
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", user);
        properties.put("spring.datasource.password", password);
        try (ConfigurableApplicationContext survivor = StoreTestApplication.run(properties)) {
            JdbcTemplate jdbc = new JdbcTemplate(survivor.getBean(DataSource.class));
            assertThat(jdbc.queryForList("select instance_id from agw_lease", String.class))
                    .as("the killed instance's slice of the global scope (the agent has no limit, so nothing to lease)")
                    .containsOnly(LeaseCrashChild.INSTANCE_ID).hasSize(1);
            // the survivor's time, whatever this machine's speed: just before the lease expires
            Instant expiresAt = jdbc.queryForObject("select min(expires_at) from agw_lease", java.sql.Timestamp.class).toInstant();
            Instant takenAt = jdbc.queryForObject("select min(created_at) from agw_lease", java.sql.Timestamp.class).toInstant();
            assertThat(Duration.between(takenAt, expiresAt)).as("the child's lease time, from its last renewal")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(30)).isLessThan(Duration.ofSeconds(60));
            long held = jdbc.queryForObject("select sum(steps) from agw_lease", Long.class);
            assertThat(held).as("steps the killed JVM's slice held").isGreaterThanOrEqualTo(leastHeld);
            MutableClock clock = new MutableClock(expiresAt.minusSeconds(1));
            JpaBudgetLedger ledger = survivorLedger(survivor, clock);
            Gateway gateway = Gateway.builder().limits(LeaseCrashChild.limits(maxSteps)).budgetLedger(ledger)
                    .provider("exact", LeaseCrashChild.exact(call -> false)).build();

            assertThat(callsUntilRefused(gateway)).as("3 done, the killed JVM's slice still held")
                    .isEqualTo(maxSteps - LeaseCrashChild.COMPLETED_CALLS - held);
            clock.advance(Duration.ofSeconds(2));
            assertThat(callsUntilRefused(gateway)).as("the expired lease's steps given back").isEqualTo(held);

            ScopeUsage global = ledger.usage(LimitScope.global());
            assertThat(global.committedSteps()).isEqualTo(maxSteps);
            assertThat(global.committedCost()).isEqualByComparingTo(LeaseCrashChild.COST.multiply(BigDecimal.valueOf(maxSteps)));
            assertThat(global.reservedSteps()).isZero();
            assertThat(global.reservedCost()).isEqualByComparingTo("0");
            ScopeUsage doomed = ledger.usage(LimitScope.agent("doomed-agent"));
            assertThat(doomed.committedSteps()).isEqualTo(LeaseCrashChild.COMPLETED_CALLS);
            assertThat(doomed.reservedSteps()).isZero();
            assertThat(doomed.reservedCost()).isEqualByComparingTo("0");
            assertThat(jdbc.queryForObject("select count(*) from agw_lease", Long.class)).isZero();
            gateway.close();
            ledger.close();
        }
    }

    /** Runs the child until it is inside its fourth call, then kills it. */
    private static void killDuringACall(String url, String user, String password, int maxSteps) throws Exception {
        Path log = Files.createTempFile("agw-lease-crash", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), LeaseCrashChild.class.getName(), url, user, password,
                String.valueOf(maxSteps))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .failFast("the child JVM died on its own", () -> !child.isAlive())
                    .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("IN CALL"));
            // the usage of settled calls is written within one write interval: what a kill loses at most
            Thread.sleep(10 * LeaseCrashChild.WRITE_INTERVAL.toMillis());
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("DONE " + LeaseCrashChild.COMPLETED_CALLS)
                .doesNotContain("DONE " + (LeaseCrashChild.COMPLETED_CALLS + 1));
        Files.deleteIfExists(log);
    }

    private static JpaBudgetLedger survivorLedger(ConfigurableApplicationContext context, MutableClock clock) {
        GatewayPersistenceProperties.Budget settings = new GatewayPersistenceProperties.Budget();
        settings.setInstanceId("survivor");
        settings.setLeaseTime(Duration.ofSeconds(30));
        return new JpaBudgetLedger(context.getBean(BudgetRepository.class), context.getBean(LedgerEpochRepository.class),
                context.getBean(LeaseRepository.class), context.getBean(PlatformTransactionManager.class),
                PersistenceSettingsMapper.budget(settings), Duration.ofSeconds(60), clock);
    }

    private static int callsUntilRefused(Gateway gateway) {
        int calls = 0;
        while (true) {
            try {
                gateway.call(GatewayCall.builder().agentId("survivor-agent").provider("exact").model("m").user("go").build());
                calls++;
            } catch (StepLimitExceededException refused) {
                return calls;
            }
        }
    }
}
