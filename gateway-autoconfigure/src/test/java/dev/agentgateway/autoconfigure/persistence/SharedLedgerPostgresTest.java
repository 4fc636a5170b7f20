package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentgateway.autoconfigure.persistence.testapp.StoreTestApplication;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several application instances on one PostgreSQL: three separate {@link Gateway}s, each in an
 * application context of its own with its own connection pool and its own {@link JpaBudgetLedger},
 * and many threads calling through each until the shared limits refuse them. Every call costs
 * exactly what it reserves, so the totals are asserted exactly, also where every instance serves
 * calls from a slice of the limit when it is reached.
 */
class SharedLedgerPostgresTest {

    private static final int INSTANCES = 3;
    private static final int THREADS_PER_INSTANCE = 8;
    private static final BigDecimal COST = new BigDecimal("0.01");

    private static EmbeddedPostgresSupport postgres;
    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    /** A provider whose every call costs exactly {@link #COST}, and which says so up front. */
    private static final LlmClient EXACT = new LlmClient() {
        @Override
        public LlmResponse complete(LlmRequest request) {
            return new LlmResponse("ok", List.of(), 10, 5, COST, request.model(), request.provider(), 0, "stop");
        }

        @Override
        public Optional<BigDecimal> estimateCost(LlmRequest request) {
            return Optional.of(COST);
        }
    };

    @BeforeAll
    static void startInstances() {
        postgres = EmbeddedPostgresSupport.start();
        for (int i = 0; i < INSTANCES; i++) {
            Map<String, String> properties = AbstractPersistenceStoreTest.commonProperties();
            properties.putAll(postgres.springProperties());
            properties.put("spring.datasource.hikari.maximum-pool-size", "6");
            properties.put("spring.datasource.hikari.pool-name", "instance-" + i);
            instances.add(StoreTestApplication.run(properties));
        }
    }

    @AfterAll
    static void stopInstances() {
        try {
            instances.forEach(ConfigurableApplicationContext::close);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @BeforeEach
    void resetTheSharedLedger() {
        ledger(0).reset();
    }

    @Test
    void eachInstanceHasItsOwnPoolAndLedgerOnTheSameDatabase() {
        Set<DataSource> pools = instances.stream().map(context -> context.getBean(DataSource.class))
                .collect(Collectors.toSet());
        assertThat(pools).hasSize(INSTANCES).allSatisfy(pool -> assertThat(pool).isInstanceOf(HikariDataSource.class));
        assertThat(instances.stream().map(context -> context.getBean(JpaBudgetLedger.class)).distinct()).hasSize(INSTANCES);
    }

    @Test
    void aGlobalStepLimitHoldsExactlyAcrossInstances() throws Exception {
        ExecutionLimits limits = ExecutionLimits.builder().maxSteps(150).maxBudget("100").build();

        Outcome outcome = runUntilRefused(limits, instance -> GatewayCall.builder().agentId("agent-" + instance)
                .provider("exact").model("m").user("go").build());

        assertThat(outcome.succeeded()).isEqualTo(150);
        assertThat(outcome.refusals()).containsOnlyKeys(StepLimitExceededException.class);
        ScopeUsage global = ledger(1).usage(LimitScope.global());
        assertThat(global.committedSteps()).isEqualTo(150);
        assertThat(global.committedCost()).isEqualByComparingTo("1.50");
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        // each agent's steps add up to the global total
        long perAgent = IntStream.range(0, INSTANCES)
                .mapToLong(i -> ledger(2).usage(LimitScope.agent("agent-" + i)).committedSteps()).sum();
        assertThat(perAgent).isEqualTo(150);
        assertThat(outcome.perInstance()).allSatisfy(count -> assertThat(count).isPositive());
    }

    @Test
    void aTenantBudgetHoldsExactlyAcrossInstances() throws Exception {
        ExecutionLimits limits = ExecutionLimits.builder().perTenantMaxBudget("0.50")
                .tenant("vip", dev.agentgateway.core.limits.ScopeLimits.of(null, new BigDecimal("0.20"))).build();

        Outcome outcome = runUntilRefused(limits, instance -> GatewayCall.builder().agentId("agent-" + instance)
                .provider("exact").model("m").user("go").tenant(instance == 0 ? "vip" : "acme").build());

        assertThat(outcome.refusals()).containsOnlyKeys(BudgetExceededException.class);
        ScopeUsage acme = ledger(0).usage(LimitScope.tenant("acme"));
        ScopeUsage vip = ledger(0).usage(LimitScope.tenant("vip"));
        assertThat(acme.committedCost()).isEqualByComparingTo("0.50");
        assertThat(acme.committedSteps()).isEqualTo(50);
        assertThat(vip.committedCost()).isEqualByComparingTo("0.20");
        assertThat(vip.committedSteps()).isEqualTo(20);
        assertThat(outcome.succeeded()).isEqualTo(70);
        assertThat(ledger(2).usage(LimitScope.global()).committedCost()).isEqualByComparingTo("0.70");
    }

    @Test
    void aWorkflowRunSpreadOverInstancesGetsEachStepNumberOnce() throws Exception {
        ExecutionLimits limits = ExecutionLimits.builder().perWorkflowMaxSteps(30).build();

        Outcome outcome = runUntilRefused(limits, instance -> GatewayCall.builder().agentId("agent-" + instance)
                .provider("exact").model("m").user("go").workflowId("shared-run").build());

        assertThat(outcome.succeeded()).isEqualTo(30);
        assertThat(outcome.refusals()).containsOnlyKeys(StepLimitExceededException.class);
        assertThat(ledger(1).usage(LimitScope.workflow("shared-run")).committedSteps()).isEqualTo(30);
        // the step of every call came from the shared ledger: 1..30, none twice
        Set<Integer> steps = new TreeSet<>();
        outcome.gateways().forEach(gateway -> gateway.getCallHistory(HistoryQuery.all()).stream()
                .filter(CallRecord::success) // refused calls are recorded too, without a step
                .map(CallRecord::step).forEach(step -> assertThat(steps.add(step)).as("step %s given twice", step).isTrue()));
        assertThat(steps).containsExactlyElementsOf(IntStream.rangeClosed(1, 30).boxed().toList());
    }

    @Test
    void aStepLimitReachedWhileSlicesAreOutOnEveryInstanceHoldsExactly() throws Exception {
        ExecutionLimits limits = ExecutionLimits.builder().maxSteps(2000).maxBudget("100").build();
        SliceWatch watch = SliceWatch.start(instances.get(0), "steps > 1");

        Outcome outcome = runUntilRefused(limits, instance -> GatewayCall.builder().agentId("agent-" + instance)
                .provider("exact").model("m").user("go").build());

        assertThat(watch.stop()).as("instances holding a slice of more than one call at once").isEqualTo(INSTANCES);
        assertThat(outcome.succeeded()).isEqualTo(2000);
        assertThat(outcome.refusals()).containsOnlyKeys(StepLimitExceededException.class);
        assertExactTotals(outcome, 2000, "20.00");
    }

    @Test
    void aTenantBudgetReachedWhileSlicesAreOutOnEveryInstanceHoldsExactly() throws Exception {
        ExecutionLimits limits = ExecutionLimits.builder().perTenantMaxBudget("15.00").build();
        SliceWatch watch = SliceWatch.start(instances.get(0), "amount > 0.01");

        Outcome outcome = runUntilRefused(limits, instance -> GatewayCall.builder().agentId("agent-" + instance)
                .provider("exact").model("m").user("go").tenant("shared").build());

        assertThat(watch.stop()).as("instances holding money for more than one call at once").isEqualTo(INSTANCES);
        assertThat(outcome.refusals()).containsOnlyKeys(BudgetExceededException.class);
        assertThat(outcome.succeeded()).isEqualTo(1500);
        ScopeUsage tenant = ledger(2).usage(LimitScope.tenant("shared"));
        assertThat(tenant.committedCost()).isEqualByComparingTo("15.00");
        assertThat(tenant.reservedCost()).isEqualByComparingTo("0");
        assertExactTotals(outcome, 1500, "15.00");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The ledger's global totals, each instance's history and each agent's row agree, and nothing stays reserved. */
    private static void assertExactTotals(Outcome outcome, long calls, String cost) {
        ScopeUsage global = ledger(1).usage(LimitScope.global());
        assertThat(global.committedSteps()).isEqualTo(calls);
        assertThat(global.committedCost()).isEqualByComparingTo(cost);
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        long recorded = outcome.gateways().stream().mapToLong(gateway -> gateway.getCallHistory(HistoryQuery.all()).stream()
                .filter(CallRecord::success).count()).sum();
        assertThat(recorded).as("successful calls in the instances' histories").isEqualTo(calls);
        long perAgent = IntStream.range(0, INSTANCES)
                .mapToLong(i -> ledger(0).usage(LimitScope.agent("agent-" + i)).committedSteps()).sum();
        assertThat(perAgent).isEqualTo(calls);
        assertThat(new JdbcTemplate(instances.get(0).getBean(DataSource.class))
                .queryForObject("select count(*) from agw_lease", Long.class)).as("leases left").isZero();
    }

    /** Watches agw_lease while a test runs: the most instances (lease ids: the instances of this test share a JVM name) that held a slice matching a condition at one time. */
    private static final class SliceWatch {
        private final Thread thread;
        private final AtomicInteger most = new AtomicInteger();
        private volatile boolean running = true;

        private SliceWatch(JdbcTemplate jdbc, String condition) {
            thread = new Thread(() -> {
                while (running) {
                    Integer holders = jdbc.queryForObject("select count(distinct lease_id) from agw_lease where " + condition,
                            Integer.class);
                    most.accumulateAndGet(holders == null ? 0 : holders, Math::max);
                }
            }, "slice-watch");
        }

        static SliceWatch start(ConfigurableApplicationContext context, String condition) {
            SliceWatch watch = new SliceWatch(new JdbcTemplate(context.getBean(DataSource.class)), condition);
            watch.thread.start();
            return watch;
        }

        int stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
            return most.get();
        }
    }

    private record Outcome(int succeeded, List<Integer> perInstance, Map<Class<?>, Integer> refusals, List<Gateway> gateways) {
    }

    /** Every thread of every instance calls until it is refused; returns what happened. */
    private Outcome runUntilRefused(ExecutionLimits limits, Function<Integer, GatewayCall> callOfInstance) throws Exception {
        List<Gateway> gateways = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            gateways.add(Gateway.builder().limits(limits).budgetLedger(ledger(i)).provider("exact", EXACT).build());
        }
        List<AtomicInteger> perInstance = IntStream.range(0, INSTANCES).mapToObj(i -> new AtomicInteger()).toList();
        Map<Class<?>, Integer> refusals = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                int instance = i;
                for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                    running.add(pool.submit(() -> {
                        go.await();
                        while (true) {
                            try {
                                gateways.get(instance).call(callOfInstance.apply(instance));
                                perInstance.get(instance).incrementAndGet();
                            } catch (ExecutionLimitException refused) {
                                refusals.merge(refused.getClass(), 1, Integer::sum);
                                return null;
                            }
                        }
                    }));
                }
            }
            go.countDown();
            for (Future<?> future : running) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            gateways.forEach(Gateway::close);
        }
        List<Integer> counts = perInstance.stream().map(AtomicInteger::get).toList();
        return new Outcome(counts.stream().mapToInt(Integer::intValue).sum(), counts, refusals, gateways);
    }

    private static JpaBudgetLedger ledger(int instance) {
        return instances.get(instance).getBean(JpaBudgetLedger.class);
    }
}
