package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.JpaApprovalStore;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalAlreadyDecidedException;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.approval.ApprovalStore;
import dev.agentgateway.core.approval.PendingApproval;
import dev.agentgateway.core.approval.RunClaim;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JPA approval store of two instances of an application on one database (H2, PostgreSQL):
 * decisions and claims are exactly-once across them, and what cannot be read back is a rejection.
 */
abstract class AbstractApprovalStoreTest {

    /** The first instance. */
    protected abstract ConfigurableApplicationContext instance();

    /** A second instance on the same database. */
    protected abstract ConfigurableApplicationContext otherInstance();

    static Map<String, String> commonProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.jpa.hibernate.ddl-auto", "validate");
        properties.put("spring.main.banner-mode", "off");
        properties.put("agent-gateway.persistence.retention.enabled", "false");
        return properties;
    }

    private ApprovalStore store;
    private ApprovalStore otherStore;
    private JdbcTemplate jdbc;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void emptyStore() {
        store = instance().getBean(ApprovalStore.class);
        otherStore = otherInstance().getBean(ApprovalStore.class);
        jdbc = new JdbcTemplate(instance().getBean(DataSource.class));
        store.clear();
    }

    private PendingApproval request(String run, String toolCallId, Instant expiresAt) {
        return new PendingApproval(UUID.randomUUID().toString(), run, "clerk", "acme", toolCallId, "refund",
                "{\"amount\":10}", now, expiresAt);
    }

    private Approval create(String run, String toolCallId) {
        return store.create(List.of(request(run, toolCallId, now.plus(Duration.ofHours(1))))).get(0);
    }

    @Test
    void theApplicationsApprovalStoreIsTheJpaOne() {
        assertThat(store).isInstanceOf(JpaApprovalStore.class);
    }

    @Test
    void anApprovalIsReadBackByAnotherInstanceWithItsDecision() {
        Approval created = create("run-1", "call-1");
        assertThat(otherStore.pending(10)).containsExactly(created);
        assertThat(otherStore.countPending()).isEqualTo(1);

        store.decide(created.id(), ApprovalDecision.approveWithArguments("{\"amount\":5}", "alice", now.plusSeconds(1)));

        Approval read = otherStore.find(created.id()).orElseThrow();
        assertThat(read.state()).isEqualTo(Approval.State.DECIDED);
        assertThat(read.decision()).isEqualTo(
                ApprovalDecision.approveWithArguments("{\"amount\":5}", "alice", now.plusSeconds(1)));
        assertThat(read.request()).isEqualTo(created.request());
        assertThat(otherStore.pending(10)).isEmpty();
    }

    @Test
    void askingAgainForTheSameToolCallKeepsTheStoredApproval() {
        Approval first = create("run-1", "call-1");

        Approval again = otherStore.create(List.of(request("run-1", "call-1", now.plus(Duration.ofHours(1))))).get(0);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(jdbc.queryForObject("select count(*) from agw_approval", Long.class)).isEqualTo(1);
    }

    @Test
    void decidingTwiceIsRefusedAndTheFirstDecisionStands() {
        Approval created = create("run-1", "call-1");
        store.decide(created.id(), ApprovalDecision.reject("too much", "alice", now));

        assertThatThrownBy(() -> otherStore.decide(created.id(), ApprovalDecision.approve("bob", now)))
                .isInstanceOf(ApprovalAlreadyDecidedException.class).hasMessageContaining("REJECTED by alice");
        assertThat(store.find(created.id()).orElseThrow().decision().decidedBy()).isEqualTo("alice");
    }

    @Test
    void ofTwoInstancesDecidingAtOnceExactlyOneDecisionWinsEachApproval() throws Exception {
        int approvals = 10;
        for (int a = 0; a < approvals; a++) {
            Approval created = create("run-" + a, "call");
            List<String> winners = race(12, i -> {
                ApprovalStore mine = i % 2 == 0 ? store : otherStore;
                try {
                    mine.decide(created.id(), ApprovalDecision.approve("user-" + i, now));
                    return "user-" + i;
                } catch (ApprovalAlreadyDecidedException refused) {
                    return null;
                }
            });
            List<String> won = winners.stream().filter(w -> w != null).toList();
            assertThat(won).hasSize(1);
            assertThat(store.find(created.id()).orElseThrow().decision().decidedBy()).isEqualTo(won.get(0));
        }
    }

    @Test
    void ofTwoInstancesClaimingADecidedRunExactlyOneWins() throws Exception {
        int runs = 10;
        for (int r = 0; r < runs; r++) {
            String run = "run-" + r;
            List<Approval> two = store.create(List.of(request(run, "a", now.plus(Duration.ofHours(1))),
                    request(run, "b", now.plus(Duration.ofHours(1)))));
            two.forEach(approval -> store.decide(approval.id(), ApprovalDecision.approve("alice", now)));

            List<Boolean> claimed = race(12, i -> (i % 2 == 0 ? store : otherStore)
                    .claim(run, "node-" + i, now, now.minus(Duration.ofMinutes(5))).isPresent());

            assertThat(claimed).filteredOn(Boolean::booleanValue).hasSize(1);
            assertThat(store.forRun(run)).allSatisfy(a -> assertThat(a.state()).isEqualTo(Approval.State.RESUMING));
        }
    }

    @Test
    void aRunWithAnApprovalStillPendingCannotBeClaimed() {
        List<Approval> two = store.create(List.of(request("run-1", "a", now.plus(Duration.ofHours(1))),
                request("run-1", "b", now.plus(Duration.ofHours(1)))));
        store.decide(two.get(0).id(), ApprovalDecision.approve("alice", now));

        assertThat(otherStore.claimable(now.minus(Duration.ofMinutes(5)), 10)).isEmpty();
        assertThat(otherStore.claim("run-1", "node-2", now, now.minus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(store.find(two.get(0).id()).orElseThrow().state()).isEqualTo(Approval.State.DECIDED);

        store.decide(two.get(1).id(), ApprovalDecision.reject("no", "alice", now));
        assertThat(otherStore.claimable(now.minus(Duration.ofMinutes(5)), 10)).containsExactly("run-1");
        RunClaim claim = otherStore.claim("run-1", "node-2", now, now.minus(Duration.ofMinutes(5))).orElseThrow();
        assertThat(claim.decisionsByToolCall()).containsOnlyKeys("a", "b");
    }

    @Test
    void decidingARunAnotherInstanceIsResumingIsRefused() {
        Approval created = create("run-1", "call-1");
        store.decide(created.id(), ApprovalDecision.approve("alice", now));
        store.claim("run-1", "node-1", now, now.minus(Duration.ofMinutes(5))).orElseThrow();

        assertThatThrownBy(() -> otherStore.decide(created.id(), ApprovalDecision.reject("no", "bob", now)))
                .isInstanceOf(ApprovalAlreadyDecidedException.class).hasMessageContaining("being resumed by node-1");
    }

    @Test
    void aClaimOfAnInstanceThatDiedIsTakenOverOnceStaleAndAFinishedRunIsNotClaimedAgain() {
        Approval created = create("run-1", "call-1");
        store.decide(created.id(), ApprovalDecision.approve("alice", now));
        store.claim("run-1", "node-1", now, now.minus(Duration.ofMinutes(5))).orElseThrow();

        assertThat(otherStore.claim("run-1", "node-2", now.plusSeconds(1), now.minus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(otherStore.claim("run-1", "node-2", now.plusSeconds(600), now.plusSeconds(1))).isPresent();
        otherStore.finish("run-1", "node-2");

        assertThat(store.find(created.id()).orElseThrow().state()).isEqualTo(Approval.State.DONE);
        assertThat(store.claimable(now.plusSeconds(3600), 10)).isEmpty();
    }

    @Test
    void anApprovalPastItsTimeOutIsRejectedAsExpiredAndCannotBeApproved() {
        Approval soon = store.create(List.of(request("run-1", "call-1", now.plusSeconds(60)))).get(0);
        Approval later = create("run-2", "call-2");

        assertThatThrownBy(() -> otherStore.decide(soon.id(), ApprovalDecision.approve("alice", now.plusSeconds(61))))
                .isInstanceOf(ApprovalAlreadyDecidedException.class).hasMessageContaining("EXPIRED");

        Approval expired = store.find(soon.id()).orElseThrow();
        assertThat(expired.decision().verdict()).isEqualTo(ApprovalDecision.Verdict.EXPIRED);
        assertThat(expired.decision().runsTool()).isFalse();
        assertThat(store.find(later.id()).orElseThrow().isPending()).isTrue();
    }

    @Test
    void expiringRejectsOnlyTheApprovalsPastTheirTimeOut() {
        store.create(List.of(request("run-1", "call-1", now.plusSeconds(60))));
        Approval later = create("run-2", "call-2");

        assertThat(otherStore.expire(now.plusSeconds(60))).isEqualTo(1);

        assertThat(store.pending(10)).containsExactly(later);
    }

    @Test
    void aRowTheStoreCannotReadBackIsARejection() {
        Approval created = create("run-1", "call-1");
        jdbc.update("update agw_approval set state = 'FROM_LATER', verdict = 'FROM_LATER' where id = ?",
                created.id());

        Approval read = otherStore.find(created.id()).orElseThrow();

        assertThat(read.decision().runsTool()).isFalse();
        assertThat(read.decision().reason()).contains("could not read");
        assertThat(otherStore.claimable(now.plusSeconds(3600), 10)).isEmpty();
    }

    private static <T> List<T> race(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return task.apply(n);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
