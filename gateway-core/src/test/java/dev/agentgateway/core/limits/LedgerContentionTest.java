package dev.agentgateway.core.limits;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory ledger has no lock shared by all calls (a lock per scope, taken in one order), so
 * these tests attack it with many threads on overlapping scopes, each call listing its scopes in
 * a shuffled order, some calls costing more than they reserved and some given back: limits must
 * hold exactly as under one lock.
 */
class LedgerContentionTest {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 400;

    private static final ScopeLimits GLOBAL_STEPS = new ScopeLimits(2_000, null);
    private static final ScopeLimits TENANT_STEPS = new ScopeLimits(900, null);
    private static final ScopeLimits AGENT_STEPS = new ScopeLimits(250, null);

    /** Runs {@code THREADS} workers released together; each gets its index. */
    private static void together(IntConsumer worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    worker.accept(index);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Global, one of two tenants, one of six agents (three per tenant), one of five runs: shuffled. */
    private static List<ScopedLimit> scopesOf(Random random, int call) {
        int agent = random.nextInt(6);
        List<ScopedLimit> scopes = new ArrayList<>(List.of(
                new ScopedLimit(LimitScope.global(), GLOBAL_STEPS),
                new ScopedLimit(LimitScope.tenant("t" + agent % 2), TENANT_STEPS),
                new ScopedLimit(LimitScope.agent("a" + agent), AGENT_STEPS),
                new ScopedLimit(LimitScope.workflow("w" + call % 5), ScopeLimits.NONE)));
        Collections.shuffle(scopes, random);
        return scopes;
    }

    @Test
    void stepLimitsOnOverlappingScopesHoldExactlyAndEveryRefusalNamesAFullScope() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
        ConcurrentLinkedQueue<LimitScope> refusedBy = new ConcurrentLinkedQueue<>();

        together(thread -> {
            Random random = new Random(thread);
            for (int call = 0; call < CALLS_PER_THREAD; call++) {
                try {
                    Reservation reservation = ledger.reserve("a", scopesOf(random, call), new BigDecimal("0.01"));
                    ledger.commit(reservation, new BigDecimal("0.03"), 10, 5); // costs more than reserved
                } catch (StepLimitExceededException e) {
                    refusedBy.add(e.scope());
                }
            }
        });

        long agentSteps = 0;
        for (int agent = 0; agent < 6; agent++) {
            ScopeUsage usage = ledger.usage(LimitScope.agent("a" + agent));
            assertThat(usage.committedSteps()).isLessThanOrEqualTo(250);
            assertThat(usage.reservedSteps()).isZero();
            agentSteps += usage.committedSteps();
        }
        long tenantSteps = 0;
        for (int tenant = 0; tenant < 2; tenant++) {
            assertThat(ledger.usage(LimitScope.tenant("t" + tenant)).committedSteps()).isLessThanOrEqualTo(900);
            tenantSteps += ledger.usage(LimitScope.tenant("t" + tenant)).committedSteps();
        }
        ScopeUsage global = ledger.usage(LimitScope.global());
        assertThat(global.committedSteps()).isLessThanOrEqualTo(2_000).isEqualTo(agentSteps).isEqualTo(tenantSteps);
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(global.committedCost()).isEqualByComparingTo(new BigDecimal("0.03").multiply(BigDecimal.valueOf(global.committedSteps())));
        assertThat(global.inputTokens()).isEqualTo(10 * global.committedSteps());
        // 6 400 attempts against 6 × 250 agent steps: refusals happened, and each named a scope that is
        // full now; since steps are only ever committed here, never taken back after a commit, a
        // scope full at the refusal is full at the end only if the refusal was not spurious
        assertThat(refusedBy).isNotEmpty();
        for (LimitScope scope : refusedBy) {
            ScopeUsage usage = ledger.usage(scope);
            long limit = scope.type() == LimitScope.Type.AGENT ? 250 : scope.type() == LimitScope.Type.TENANT ? 900 : 2_000;
            assertThat(usage.committedSteps()).as("refused by %s", scope).isEqualTo(limit);
        }
    }

    @Test
    void aBudgetReachedByManyThreadsAdmitsExactlyWhatFits() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
        ScopeLimits budget = new ScopeLimits(null, new BigDecimal("1.00"));
        ConcurrentLinkedQueue<Reservation> admitted = new ConcurrentLinkedQueue<>();

        together(thread -> {
            Random random = new Random(thread);
            for (int call = 0; call < 50; call++) {
                List<ScopedLimit> scopes = new ArrayList<>(List.of(
                        new ScopedLimit(LimitScope.global(), ScopeLimits.NONE),
                        new ScopedLimit(LimitScope.tenant("acme"), budget),
                        new ScopedLimit(LimitScope.agent("a" + thread % 4), ScopeLimits.NONE)));
                Collections.shuffle(scopes, random);
                try {
                    admitted.add(ledger.reserve("a", scopes, new BigDecimal("0.01")));
                } catch (BudgetExceededException e) {
                    assertThat(e.getMessage()).contains("tenant 'acme'");
                }
            }
        });

        // everything stays reserved until the end, so the check saw every admitted call: exactly 100 fit
        assertThat(admitted).hasSize(100);
        assertThat(ledger.usage(LimitScope.tenant("acme")).reservedCost()).isEqualByComparingTo("1.00");
        for (Reservation reservation : admitted) {
            ledger.commit(reservation, new BigDecimal("0.01"), 1, 1);
        }
        assertThat(ledger.usage(LimitScope.tenant("acme")).committedCost()).isEqualByComparingTo("1.00");
        assertThat(ledger.usage(LimitScope.global()).committedSteps()).isEqualTo(100);
    }

    @Test
    void callsOverrunningTheirReservationStopNewAdmissionsOnceCommittedReachesTheBudget() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
        ScopeLimits budget = new ScopeLimits(null, new BigDecimal("1.00"));

        together(thread -> {
            for (int call = 0; call < 100; call++) {
                List<ScopedLimit> scopes = List.of(new ScopedLimit(LimitScope.global(), budget),
                        new ScopedLimit(LimitScope.agent("a" + thread), ScopeLimits.NONE));
                try {
                    Reservation reservation = ledger.reserve("a", scopes, new BigDecimal("0.01"));
                    ledger.commit(reservation, new BigDecimal("0.04"), 1, 1); // four times what it reserved
                } catch (BudgetExceededException e) {
                    // refused: the budget is spent
                }
            }
        });

        ScopeUsage global = ledger.usage(LimitScope.global());
        // each admission saw committed + reserved + 0.01 <= 1.00; at most one call per thread was in flight
        // with its 0.01 reserved, and each of those may settle 0.03 above it
        assertThat(global.committedCost()).isLessThanOrEqualTo(new BigDecimal("1.00").add(new BigDecimal("0.03").multiply(BigDecimal.valueOf(THREADS))));
        assertThat(global.committedCost()).isGreaterThan(new BigDecimal("0.99")); // actual >= estimate: committed ends above what any refusal saw
        assertThat(global.committedCost()).isEqualByComparingTo(new BigDecimal("0.04").multiply(BigDecimal.valueOf(global.committedSteps())));
        assertThat(global.reservedSteps()).isZero();
        // once committed reached the budget nothing more was admitted, whichever thread tried
        assertThatNoReservationFits(ledger, budget);
    }

    private static void assertThatNoReservationFits(InMemoryBudgetLedger ledger, ScopeLimits budget) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.reserve("late",
                        List.of(new ScopedLimit(LimitScope.global(), budget)), new BigDecimal("0.0001")))
                .isInstanceOf(BudgetExceededException.class);
    }

    @Test
    void reservationsGivenBackByManyThreadsLeaveOnlyTheFailuresCounted() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();

        together(thread -> {
            Random random = new Random(thread);
            for (int call = 0; call < CALLS_PER_THREAD; call++) {
                ledger.release(ledger.reserve("a", scopesOf(random, call), new BigDecimal("0.01")), true);
            }
        });

        ScopeUsage global = ledger.usage(LimitScope.global());
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(global.committedSteps()).isZero();
        assertThat(global.failedCalls()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(ledger.usages(LimitScope.Type.TENANT)).allSatisfy(tenant -> assertThat(tenant.reservedSteps()).isZero());
    }

    @Test
    void runsEvictedWhileOtherThreadsCallKeepEveryCountOnTheGlobalScope() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(3); // far fewer runs than the threads use

        together(thread -> {
            for (int call = 0; call < CALLS_PER_THREAD; call++) {
                List<ScopedLimit> scopes = List.of(new ScopedLimit(LimitScope.global(), ScopeLimits.NONE),
                        new ScopedLimit(LimitScope.workflow("run-" + thread + "-" + call % 7), ScopeLimits.NONE));
                ledger.commit(ledger.reserve("a", scopes, BigDecimal.ONE), BigDecimal.ONE, 1, 1);
            }
        });

        assertThat(ledger.usage(LimitScope.global()).committedSteps()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(ledger.usage(LimitScope.global()).reservedSteps()).isZero();
        // a run with a call in flight is never evicted, and each new run evicts at most one: the bound
        // is exceeded by at most the calls that were in flight at once (one per thread)
        assertThat(ledger.usages(LimitScope.Type.WORKFLOW)).hasSizeLessThanOrEqualTo(3 + THREADS)
                .allSatisfy(run -> assertThat(run.reservedSteps()).isZero());
    }

    @Test
    void aResetWhileThreadsCallLeavesNothingReservedAndIgnoresTheOldReservations() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();

        together(thread -> {
            for (int call = 0; call < CALLS_PER_THREAD; call++) {
                if (thread == 0 && call % 50 == 0) {
                    ledger.reset();
                }
                List<ScopedLimit> scopes = List.of(new ScopedLimit(LimitScope.global(), ScopeLimits.NONE),
                        new ScopedLimit(LimitScope.agent("a" + thread % 3), ScopeLimits.NONE));
                ledger.commit(ledger.reserve("a", scopes, BigDecimal.ONE), BigDecimal.ONE, 1, 1);
            }
        });

        assertThat(ledger.usage(LimitScope.global()).reservedSteps()).isZero();
        assertThat(ledger.usage(LimitScope.global()).committedSteps()).isPositive();
        assertThat(ledger.usages(LimitScope.Type.AGENT)).allSatisfy(agent -> assertThat(agent.reservedSteps()).isZero());
    }
}
