package dev.agentgateway.core;

import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ModelPrice;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-tool limits: calls per run and per agent, a cost per call, exemption from steps, result size. */
class ToolLimitsTest {

    private static final ModelPrice FREE = ModelPrice.of("0", "0");

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.build();
        gateways.add(gateway);
        return gateway;
    }

    private static ToolSpec tool(String name) {
        return ToolSpec.of(name, "a tool", Map.of("type", "object"));
    }

    private static GatewayCall call(String workflowId, String... tools) {
        return GatewayCall.builder().agentId("researcher").provider("scripted").model("gpt-4o-mini").user("go")
                .workflowId(workflowId).tools(java.util.Arrays.stream(tools).map(ToolLimitsTest::tool).toList()).build();
    }

    /** Asks for {@code tool} every turn, for ever. */
    private static ScriptedLlmClient alwaysAsks(String tool) {
        return ScriptedLlmClient.builder().otherwise(ScriptedTurn.toolCall(tool, "{}")).build().pricedAt(FREE);
    }

    /** Asks for {@code tool} {@code times} times in one turn, then answers "done". */
    private static ScriptedLlmClient asksInOneTurn(int times, String... tools) {
        ScriptedTurn turn = null;
        for (int i = 0; i < times; i++) {
            for (String tool : tools) {
                turn = turn == null ? ScriptedTurn.toolCall(tool, "{}") : turn.andToolCall(tool, "{}");
            }
        }
        return ScriptedLlmClient.builder()
                .when(request -> request.lastMessage().role() == LlmMessage.Role.TOOL, ScriptedTurn.text("done"))
                .otherwise(turn).build().pricedAt(FREE);
    }

    private static List<ToolCallRecord> outcomes(Gateway gateway, ToolCallOutcome outcome) {
        return gateway.getToolCallHistory(null, null).stream().filter(r -> r.outcome() == outcome).toList();
    }

    // ---- calls per run ----------------------------------------------------------------------

    @Test
    void callsPastTheRunsLimitAreNotRunAndTheModelReadsThatTheLimitIsReached() {
        ScriptedLlmClient model = alwaysAsks("search");
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", model)
                .toolLimits("search", ToolLimits.none().withMaxCallsPerRun(2)));

        LlmResponse answer = gateway.callWithTools(call("run-1", "search"), (name, args) -> "hit " + runs.incrementAndGet(), 4);

        assertThat(runs).hasValue(2);
        assertThat(answer.stoppedByMaxIterations()).isTrue();
        LlmMessage third = model.requests().get(3).lastMessage();
        assertThat(third.content()).startsWith("tool limit reached: 'search' may be called 2 time(s) in one run");
        assertThat(outcomes(gateway, ToolCallOutcome.LIMIT_REACHED)).singleElement()
                .satisfies(record -> assertThat(record.result()).isEqualTo(third.content()));
    }

    @Test
    void parallelCallsOfOneTurnRunOnlyAsOftenAsTheRunsLimitAllows() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(10, "search"))
                .toolLimits("search", ToolLimits.none().withMaxCallsPerRun(3)));

        gateway.callWithTools(call("run-1", "search"), (name, args) -> "hit " + runs.incrementAndGet());

        assertThat(runs).hasValue(3);
        assertThat(outcomes(gateway, ToolCallOutcome.SUCCESS)).hasSize(3);
        assertThat(outcomes(gateway, ToolCallOutcome.LIMIT_REACHED)).hasSize(7);
    }

    @Test
    void eachRunHasItsOwnCallsPerRun() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(3, "search"))
                .toolLimits("search", ToolLimits.none().withMaxCallsPerRun(2)));

        gateway.callWithTools(call("run-1", "search"), (name, args) -> runs.incrementAndGet());
        gateway.callWithTools(call("run-2", "search"), (name, args) -> runs.incrementAndGet());

        assertThat(runs).hasValue(4);
    }

    @Test
    void aPatternsLimitCountsTheToolsItMatchesTogether() {
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(1, "github_issues", "github_prs", "web"))
                .toolLimits("github_*", ToolLimits.none().withMaxCallsPerRun(1)));

        gateway.callWithTools(call("run-1", "github_issues", "github_prs", "web"), (name, args) -> ran.add(name));

        assertThat(ran).containsExactlyInAnyOrder("github_issues", "web");
        assertThat(outcomes(gateway, ToolCallOutcome.LIMIT_REACHED)).singleElement()
                .satisfies(record -> assertThat(record.result()).contains("together with the other tools matching 'github_*'"));
    }

    @Test
    void aToolsOwnNameWinsOverAPatternThatMatchesIt() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(4, "github_issues"))
                .toolLimits("github_*", ToolLimits.none().withMaxCallsPerRun(1))
                .toolLimits("github_issues", ToolLimits.none().withMaxCallsPerRun(3)));

        gateway.callWithTools(call("run-1", "github_issues"), (name, args) -> runs.incrementAndGet());

        assertThat(runs).hasValue(3);
    }

    // ---- calls per agent --------------------------------------------------------------------

    @Test
    void theAgentsLimitHoldsExactlyOverManyRunsOnManyThreads() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(3, "search"))
                .toolLimits("search", ToolLimits.none().withMaxCallsPerAgent(20)));

        inParallel(16, 4, i -> gateway.callWithTools(call("run-" + i, "search"), (name, args) -> runs.incrementAndGet()));

        assertThat(runs).hasValue(20);
        assertThat(outcomes(gateway, ToolCallOutcome.SUCCESS)).hasSize(20);
        assertThat(outcomes(gateway, ToolCallOutcome.LIMIT_REACHED)).hasSize(64 * 3 - 20)
                .allSatisfy(record -> assertThat(record.result())
                        .startsWith("tool limit reached: agent 'researcher' may call 'search' 20 time(s)"));
    }

    @Test
    void anotherAgentHasItsOwnCallsPerAgent() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(2, "search"))
                .toolLimits("search", ToolLimits.none().withMaxCallsPerAgent(1)));

        gateway.callWithTools(call("run-1", "search"), (name, args) -> runs.incrementAndGet());
        gateway.callWithTools(call("run-2", "search").toBuilder().agentId("writer").build(), (name, args) -> runs.incrementAndGet());

        assertThat(runs).hasValue(2);
    }

    @Test
    void resetForgetsTheCallsPerAgent() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(1, "search"))
                .toolLimits("search", ToolLimits.none().withMaxCallsPerAgent(1)));
        gateway.callWithTools(call("run-1", "search"), (name, args) -> runs.incrementAndGet());

        gateway.reset();
        gateway.callWithTools(call("run-2", "search"), (name, args) -> runs.incrementAndGet());

        assertThat(runs).hasValue(2);
    }

    // ---- cost per call ----------------------------------------------------------------------

    @Test
    void aToolsCostStopsTheRunExactlyAtItsBudget() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", alwaysAsks("paid_search"))
                .limits(ExecutionLimits.builder().perWorkflowMaxBudget("0.05").build())
                .toolLimits("paid_search", ToolLimits.none().withCostPerCall("0.01")));

        assertThatThrownBy(() -> gateway.callWithTools(call("run-1", "paid_search"), (name, args) -> runs.incrementAndGet(), 50))
                .isInstanceOf(BudgetExceededException.class);

        assertThat(runs).hasValue(5);
        ScopeUsage run = gateway.limits().usage(LimitScope.workflow("run-1"));
        assertThat(run.committedCost()).isEqualByComparingTo("0.05");
        assertThat(run.reservedCost()).isEqualByComparingTo("0");
        assertThat(run.committedSteps()).as("five model calls; a tool's cost is not a step").isEqualTo(5);
    }

    @Test
    void aCallWhoseCostTheBudgetCannotHoldIsNotRunAndTheModelReadsWhy() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", alwaysAsks("paid_search"))
                .limits(ExecutionLimits.builder().perWorkflowMaxBudget("0.025").build())
                .toolLimits("paid_search", ToolLimits.none().withCostPerCall("0.01")));

        LlmResponse answer = gateway.callWithTools(call("run-1", "paid_search"), (name, args) -> runs.incrementAndGet(), 4);

        assertThat(runs).hasValue(2);
        assertThat(answer.stoppedByMaxIterations()).isTrue();
        assertThat(gateway.limits().usage(LimitScope.workflow("run-1")).committedCost()).isEqualByComparingTo("0.02");
        assertThat(outcomes(gateway, ToolCallOutcome.LIMIT_REACHED)).singleElement()
                .satisfies(record -> assertThat(record.result())
                        .startsWith("tool limit reached: a call of 'paid_search' costs 0.01 USD and the budget of workflow 'run-1'"));
    }

    @Test
    void toolCostsOnManyThreadsNeverPassTheGlobalBudget() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(5, "paid_search"))
                .limits(ExecutionLimits.builder().maxBudget("0.30").build())
                .toolLimits("paid_search", ToolLimits.none().withCostPerCall("0.01")));

        inParallel(16, 4, i -> {
            try {
                return gateway.callWithTools(call("run-" + i, "paid_search"), (name, args) -> runs.incrementAndGet());
            } catch (BudgetExceededException refused) {
                return null;
            }
        });

        assertThat(runs).hasValue(30);
        ScopeUsage global = gateway.limits().usage(LimitScope.global());
        assertThat(global.committedCost()).isEqualByComparingTo("0.30");
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(global.reservedSteps()).isZero();
    }

    @Test
    void aToolThatFailsIsChargedItsCostAllTheSame() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", asksInOneTurn(1, "paid_search"))
                .toolLimits("paid_search", ToolLimits.none().withCostPerCall("0.02")));

        LlmResponse answer = gateway.callWithTools(call("run-1", "paid_search"), (name, args) -> {
            throw new IllegalStateException("quota of the search API");
        });

        assertThat(gateway.limits().usage(LimitScope.agent("researcher")).committedCost()).isEqualByComparingTo("0.02");
        assertThat(answer.runTotals().toolCost()).isEqualByComparingTo("0.02");
    }

    @Test
    void aLedgerThatCannotHoldAToolsCostStopsTheGatewayBeingBuilt() {
        BudgetLedger stepsOnly = new BudgetLedger() {
            private final InMemoryBudgetLedger delegate = new InMemoryBudgetLedger();

            @Override
            public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
                return delegate.reserve(agentId, scopes, estimate);
            }

            @Override
            public List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long in, long out) {
                return delegate.commit(reservation, actualCost, in, out);
            }

            @Override
            public void release(Reservation reservation, boolean countAsFailure) {
                delegate.release(reservation, countAsFailure);
            }

            @Override
            public void countFailedCall(List<LimitScope> scopes) {
                delegate.countFailedCall(scopes);
            }

            @Override
            public ScopeUsage usage(LimitScope scope) {
                return delegate.usage(scope);
            }

            @Override
            public List<ScopeUsage> usages(LimitScope.Type type) {
                return delegate.usages(type);
            }

            @Override
            public void forget(LimitScope scope) {
                delegate.forget(scope);
            }

            @Override
            public void reset() {
                delegate.reset();
            }
        };

        assertThatThrownBy(() -> gateway(Gateway.builder().budgetLedger(stepsOnly)
                .toolLimits("paid_search", ToolLimits.none().withCostPerCall("0.01"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Tool 'paid_search' has a cost per call")
                .hasMessageContaining("remove the tool's cost per call");
    }

    // ---- exempt from steps ------------------------------------------------------------------

    /** Polls "status" {@code polls} times, one turn each, then answers. */
    private static ScriptedLlmClient polls(int polls) {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(polls), ScriptedTurn.text("job finished"))
                .otherwise(ScriptedTurn.toolCall("status", "{}")).build().pricedAt(FREE);
    }

    @Test
    void turnsOfAToolExemptFromStepsDoNotCountAsIterations() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", polls(4))
                .toolLimits("status", ToolLimits.none().withMaxCallsPerRun(10).withExemptFromSteps()));

        LlmResponse answer = gateway.callWithTools(call("run-1", "status"), (name, args) -> "running", 2);

        assertThat(answer.content()).isEqualTo("job finished");
        assertThat(answer.runTotals().steps()).isEqualTo(5);
    }

    @Test
    void withoutTheExemptionTheSamePollingStopsAtTheIterationLimit() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", polls(4)));

        LlmResponse answer = gateway.callWithTools(call("run-1", "status"), (name, args) -> "running", 2);

        assertThat(answer.stoppedByMaxIterations()).isTrue();
    }

    @Test
    void turnsRefusedByTheExemptToolsLimitCountAgain() {
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().provider("scripted", alwaysAsks("status"))
                .toolLimits("status", ToolLimits.none().withMaxCallsPerRun(3).withExemptFromSteps()));

        LlmResponse answer = gateway.callWithTools(call("run-1", "status"), (name, args) -> runs.incrementAndGet(), 2);

        assertThat(answer.stoppedByMaxIterations()).isTrue();
        assertThat(runs).hasValue(3);
        assertThat(answer.runTotals().steps()).as("3 exempt turns, then 2 counted").isEqualTo(5);
    }

    @Test
    void aToolExemptFromStepsNeedsACallsPerRunLimit() {
        assertThatThrownBy(() -> ToolLimits.none().withExemptFromSteps())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs maxCallsPerRun");
    }

    // ---- result size ------------------------------------------------------------------------

    @Test
    void aResultOverTheSizeIsCutWithAMarkerBeforeTheModelSeesItAndTheCutIsRecorded() {
        ScriptedLlmClient model = asksInOneTurn(1, "fetch");
        Gateway gateway = gateway(Gateway.builder().provider("scripted", model).maxToolResultSize(100));

        gateway.callWithTools(call("run-1", "fetch"), (name, args) -> "x".repeat(1_000));

        String seen = model.requests().get(1).lastMessage().content();
        assertThat(seen).startsWith("x".repeat(100) + "\n[truncated by the gateway: the result was 1000 characters,"
                + " only the first 100 are shown]");
        assertThat(seen).doesNotContain("x".repeat(101));
        assertThat(outcomes(gateway, ToolCallOutcome.TRUNCATED)).singleElement()
                .satisfies(record -> {
                    assertThat(record.result()).isEqualTo(seen);
                    assertThat(record.success()).isTrue();
                });
    }

    @Test
    void aToolsOwnResultSizeWinsOverTheDefault() {
        ScriptedLlmClient model = asksInOneTurn(1, "fetch", "small");
        Gateway gateway = gateway(Gateway.builder().provider("scripted", model).maxToolResultSize(100)
                .toolLimits("fetch", ToolLimits.none().withMaxResultSize(500)));

        gateway.callWithTools(call("run-1", "fetch", "small"), (name, args) -> "y".repeat(300));

        List<LlmMessage> results = model.requests().get(1).messages().stream()
                .filter(message -> message.role() == LlmMessage.Role.TOOL).toList();
        assertThat(results.get(0).content()).isEqualTo("y".repeat(300));
        assertThat(results.get(1).content()).startsWith("y".repeat(100) + "\n[truncated by the gateway");
    }

    @Test
    void aResultWithinTheSizeGoesBackAsItIs() {
        ScriptedLlmClient model = asksInOneTurn(1, "fetch");
        Gateway gateway = gateway(Gateway.builder().provider("scripted", model).maxToolResultSize(100));

        gateway.callWithTools(call("run-1", "fetch"), (name, args) -> "z".repeat(100));

        assertThat(model.requests().get(1).lastMessage().content()).isEqualTo("z".repeat(100));
        assertThat(outcomes(gateway, ToolCallOutcome.SUCCESS)).hasSize(1);
    }

    @Test
    void aCutNeverSplitsACharacterMadeOfTwoChars() {
        ScriptedLlmClient model = asksInOneTurn(1, "fetch");
        Gateway gateway = gateway(Gateway.builder().provider("scripted", model).maxToolResultSize(3));

        gateway.callWithTools(call("run-1", "fetch"), (name, args) -> "ab\uD83D\uDE00cd");

        assertThat(model.requests().get(1).lastMessage().content()).startsWith("ab\n[truncated by the gateway");
    }

    // -----------------------------------------------------------------------------------------

    private interface Task {
        Object run(int index) throws Exception;
    }

    /** {@code threads} threads, {@code perThread} tasks each, all started together. */
    private static void inParallel(int threads, int perThread, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            AtomicInteger index = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit((Callable<Object>) () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        task.run(index.getAndIncrement());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Object> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
