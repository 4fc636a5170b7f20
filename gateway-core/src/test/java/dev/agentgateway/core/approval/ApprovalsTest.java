package dev.agentgateway.core.approval;

import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.secrets.SecretRedactor;
import dev.agentgateway.core.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durable approvals through the Java API, on the in-memory store. */
class ApprovalsTest {

    private final MutableClock clock = MutableClock.create();
    private final InMemoryApprovalStore store = new InMemoryApprovalStore();
    private final Approvals approvals = new Approvals(store, clock, Duration.ofMinutes(30), SecretRedactor.of("s3cr3t-value"));

    private Approval requestOne(String run, String toolCallId) {
        return approvals.request(run, "clerk", "acme", List.of(new ToolCall(toolCallId, "refund", "{\"amount\":10}"))).get(0);
    }

    @Test
    void aRequestedApprovalIsPendingWithItsRunToolAndTimeOut() {
        Approval approval = requestOne("run-1", "call-1");

        assertThat(approvals.pending(10)).containsExactly(approval);
        PendingApproval request = approval.request();
        assertThat(request.workflowId()).isEqualTo("run-1");
        assertThat(request.agentId()).isEqualTo("clerk");
        assertThat(request.toolName()).isEqualTo("refund");
        assertThat(request.arguments()).isEqualTo("{\"amount\":10}");
        assertThat(request.expiresAt()).isEqualTo(request.requestedAt().plus(Duration.ofMinutes(30)));
    }

    @Test
    void secretsInTheArgumentsAreMaskedInTheApproval() {
        Approval approval = approvals.request("run-1", "clerk", null,
                List.of(new ToolCall("c1", "login", "{\"password\":\"s3cr3t-value\",\"key\":\"sk-abcdefghijklmnop\"}"))).get(0);

        assertThat(approval.request().arguments()).doesNotContain("s3cr3t-value").doesNotContain("sk-abcdefghijklmnop")
                .contains(SecretRedactor.MASK);
    }

    @Test
    void askingAgainForTheSameToolCallKeepsTheFirstApprovalAndItsDecision() {
        Approval first = requestOne("run-1", "call-1");
        approvals.approve(first.id(), "alice");

        Approval again = requestOne("run-1", "call-1");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.decision().verdict()).isEqualTo(ApprovalDecision.Verdict.APPROVED);
    }

    @Test
    void aDecisionRecordsWhoDecidedAndWhen() {
        Approval approval = requestOne("run-1", "call-1");
        clock.advance(Duration.ofMinutes(5));

        Approval decided = approvals.reject(approval.id(), "too much", "bob");

        assertThat(decided.state()).isEqualTo(Approval.State.DECIDED);
        assertThat(decided.decision().decidedBy()).isEqualTo("bob");
        assertThat(decided.decision().decidedAt()).isEqualTo(clock.instant());
        assertThat(decided.decision().rejectionMessage("refund")).contains("too much");
        assertThat(approvals.pending(10)).isEmpty();
    }

    @Test
    void decidingTwiceIsRefusedAndTheFirstDecisionStands() {
        Approval approval = requestOne("run-1", "call-1");
        approvals.approve(approval.id(), "alice");

        assertThatThrownBy(() -> approvals.reject(approval.id(), "no", "bob"))
                .isInstanceOf(ApprovalAlreadyDecidedException.class)
                .hasMessageContaining("APPROVED by alice");
        assertThat(approvals.find(approval.id()).orElseThrow().decision().decidedBy()).isEqualTo("alice");
    }

    @Test
    void decidingAnUnknownApprovalIsRefused() {
        assertThatThrownBy(() -> approvals.approve("nope", "alice"))
                .isInstanceOf(ApprovalNotFoundException.class).hasMessageContaining("nope");
    }

    @Test
    void ofManyThreadsDecidingAtOnceExactlyOneWins() throws Exception {
        Approval approval = requestOne("run-1", "call-1");
        List<Boolean> won = race(32, i -> {
            try {
                approvals.approve(approval.id(), "user-" + i);
                return true;
            } catch (ApprovalAlreadyDecidedException refused) {
                return false;
            }
        });

        assertThat(won).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void editedArgumentsMustBeAJsonObject() {
        Approval approval = requestOne("run-1", "call-1");

        assertThatThrownBy(() -> approvals.approveWithArguments(approval.id(), "[1,2]", "alice"))
                .isInstanceOf(InvalidApprovalDecisionException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> approvals.approveWithArguments(approval.id(), "{amount:", "alice"))
                .isInstanceOf(InvalidApprovalDecisionException.class).hasMessageContaining("not valid JSON");
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();
    }

    @Test
    void approvingWithEditedArgumentsKeepsThem() {
        Approval approval = requestOne("run-1", "call-1");

        Approval decided = approvals.approveWithArguments(approval.id(), "{ \"amount\" : 5 }", "alice");

        assertThat(decided.decision().verdict()).isEqualTo(ApprovalDecision.Verdict.APPROVED_WITH_EDIT);
        assertThat(decided.decision().editedArguments()).isEqualTo("{\"amount\":5}");
    }

    @Test
    void anApprovalNotDecidedInTimeIsRejectedAsExpired() {
        Approval approval = requestOne("run-1", "call-1");
        clock.advance(Duration.ofMinutes(30));

        assertThat(approvals.pending(10)).isEmpty();
        Approval expired = approvals.find(approval.id()).orElseThrow();
        assertThat(expired.decision().verdict()).isEqualTo(ApprovalDecision.Verdict.EXPIRED);
        assertThat(expired.decision().runsTool()).isFalse();
        assertThat(expired.decision().decidedBy()).isEqualTo(ApprovalDecision.GATEWAY);
    }

    @Test
    void approvingAfterTheTimeOutIsRefusedAndTheToolDoesNotRun() {
        Approval approval = requestOne("run-1", "call-1");
        clock.advance(Duration.ofMinutes(31));

        assertThatThrownBy(() -> store.decide(approval.id(), ApprovalDecision.approve("alice", clock.instant())))
                .isInstanceOf(ApprovalAlreadyDecidedException.class).hasMessageContaining("EXPIRED");
        assertThat(store.find(approval.id()).orElseThrow().decision().runsTool()).isFalse();
    }

    @Test
    void listenersHearOfRequestsDecisionsAndExpiries() {
        List<String> heard = new ArrayList<>();
        approvals.addListener(new ApprovalListener() {
            @Override
            public void onRequested(Approval approval) {
                heard.add("requested " + approval.request().toolCallId());
            }

            @Override
            public void onDecided(Approval approval) {
                heard.add(approval.decision().verdict() + " " + approval.request().toolCallId());
            }
        });
        Approval first = requestOne("run-1", "call-1");
        requestOne("run-2", "call-2");
        requestOne("run-1", "call-1");
        approvals.approve(first.id(), "alice");
        clock.advance(Duration.ofHours(1));
        approvals.expireOverdue();

        assertThat(heard).containsExactly("requested call-1", "requested call-2", "APPROVED call-1", "EXPIRED call-2");
    }

    @Test
    void aRunIsClaimableOnlyOnceEveryApprovalOfItIsDecided() {
        List<Approval> two = approvals.request("run-1", "clerk", null,
                List.of(new ToolCall("a", "refund", "{}"), new ToolCall("b", "refund", "{}")));
        approvals.approve(two.get(0).id(), "alice");

        assertThat(store.claim("run-1", "node-1", clock.instant(), Instant.MIN)).isEmpty();
        assertThat(store.claimable(Instant.MIN, 10)).isEmpty();

        approvals.reject(two.get(1).id(), "no", "alice");

        assertThat(store.claimable(Instant.MIN, 10)).containsExactly("run-1");
        RunClaim claim = store.claim("run-1", "node-1", clock.instant(), Instant.MIN).orElseThrow();
        assertThat(claim.decisionsByToolCall()).containsOnlyKeys("a", "b");
        assertThat(claim.decisionsByToolCall().get("b").verdict()).isEqualTo(ApprovalDecision.Verdict.REJECTED);
    }

    @Test
    void ofManyInstancesClaimingARunExactlyOneWins() throws Exception {
        approvals.approve(requestOne("run-1", "call-1").id(), "alice");

        List<Boolean> won = race(32, i -> store.claim("run-1", "node-" + i, clock.instant(), Instant.MIN).isPresent());

        assertThat(won).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void decidingARunThatIsBeingResumedIsRefusedNamingWhoResumesIt() {
        Approval approval = requestOne("run-1", "call-1");
        approvals.approve(approval.id(), "alice");
        store.claim("run-1", "node-1", clock.instant(), Instant.MIN).orElseThrow();

        assertThatThrownBy(() -> approvals.reject(approval.id(), "changed my mind", "bob"))
                .isInstanceOf(ApprovalAlreadyDecidedException.class).hasMessageContaining("being resumed by node-1");
    }

    @Test
    void aClaimWhoseInstanceDiedCanBeTakenOverOnceStale() {
        approvals.approve(requestOne("run-1", "call-1").id(), "alice");
        Instant claimedAt = clock.instant();
        store.claim("run-1", "node-1", claimedAt, Instant.MIN).orElseThrow();

        assertThat(store.claim("run-1", "node-2", claimedAt, claimedAt)).isEmpty();
        assertThat(store.claim("run-1", "node-2", claimedAt.plusSeconds(60), claimedAt.plusSeconds(1))).isPresent();
    }

    @Test
    void aFinishedRunPausingAgainWaitsForItsNewApprovalOnly() {
        approvals.approve(requestOne("run-1", "call-1").id(), "alice");
        store.claim("run-1", "node-1", clock.instant(), Instant.MIN).orElseThrow();
        store.finish("run-1", "node-1");
        assertThat(store.claimable(Instant.MIN, 10)).isEmpty();

        Approval second = requestOne("run-1", "call-2");
        assertThat(store.claim("run-1", "node-1", clock.instant(), Instant.MIN)).isEmpty();
        approvals.approve(second.id(), "alice");

        RunClaim claim = store.claim("run-1", "node-1", clock.instant(), Instant.MIN).orElseThrow();
        assertThat(claim.decisionsByToolCall()).containsOnlyKeys("call-2");
    }

    private static <T> List<T> race(int threads, java.util.function.IntFunction<T> task) throws Exception {
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
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
