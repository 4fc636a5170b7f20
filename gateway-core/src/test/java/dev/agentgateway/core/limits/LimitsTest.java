package dev.agentgateway.core.limits;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.testsupport.MutableClock;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenarios 11-18, 21 and 22: budget, step and time limits on every scope. */
class LimitsTest {

    private final MutableClock clock = MutableClock.create();
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(ExecutionLimits limits, MockLlmClient mock) {
        return gateway(Gateway.builder().limits(limits).provider("mock", mock));
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.clock(clock).build();
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayCall callOf(String agent, String prompt) {
        return GatewayCall.builder().agentId(agent).provider("mock").model("mock-model").user(prompt).build();
    }

    private static GatewayCall runCall(String agent, String workflowId, String prompt) {
        return callOf(agent, prompt).toBuilder().workflowId(workflowId).build();
    }

    // ---- 11 ---------------------------------------------------------------------------------

    @Test
    void fourthCallIsRefusedWhenMaxStepsIsThree() { // scenario 11
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(3).build(), mock);
        for (int i = 0; i < 3; i++) {
            gateway.call(callOf("a", "call " + i));
        }

        assertThatThrownBy(() -> gateway.call(callOf("a", "call 4")))
                .isInstanceOfSatisfying(StepLimitExceededException.class, e -> {
                    assertThat(e.current()).isEqualTo(3L);
                    assertThat(e.limit()).isEqualTo(3L);
                    assertThat(e.scope()).isEqualTo(LimitScope.global());
                    assertThat(e.kind()).isEqualTo(LimitKind.STEPS);
                    assertThat(e.agentId()).isEqualTo("a");
                });
        assertThat(mock.requestCount()).isEqualTo(3);
    }

    // ---- 12 ---------------------------------------------------------------------------------

    @Test
    void thirdCallIsRefusedWhenItWouldExceedTheBudget() { // scenario 12
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.004").build();
        Gateway gateway = gateway(ExecutionLimits.builder().maxBudget("0.01").build(), mock);
        gateway.call(callOf("a", "one"));
        gateway.call(callOf("a", "two"));

        assertThatThrownBy(() -> gateway.call(callOf("a", "three")))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.current()).isEqualByComparingTo("0.008");
                    assertThat(e.estimate()).isEqualByComparingTo("0.004");
                    assertThat(e.limit()).isEqualByComparingTo("0.01");
                    assertThat(e.scope()).isEqualTo(LimitScope.global());
                });
        assertThat(mock.requestCount()).isEqualTo(2);
        assertThat(gateway.getMetrics().get("total_cost")).isEqualTo(new BigDecimal("0.008"));
    }

    // ---- 13 ---------------------------------------------------------------------------------

    @Test
    void callAfterTheTimeLimitIsRefused() { // scenario 13
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().maxTimeSeconds(1).build(), mock);
        gateway.call(callOf("a", "one"));
        clock.advanceSeconds(2);

        assertThatThrownBy(() -> gateway.call(callOf("a", "two")))
                .isInstanceOfSatisfying(TimeLimitExceededException.class, e -> {
                    assertThat(e.current()).isEqualTo(2.0);
                    assertThat(e.limit()).isEqualTo(1.0);
                    assertThat(e.kind()).isEqualTo(LimitKind.TIME);
                });
        assertThat(mock.requestCount()).isEqualTo(1);
    }

    @Test
    void callAtExactlyTheTimeLimitIsRefused() { // scenario 13
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().maxTimeSeconds(1).build(), mock);
        gateway.call(callOf("a", "one"));
        clock.advanceSeconds(1);

        assertThatThrownBy(() -> gateway.call(callOf("a", "two"))).isInstanceOf(TimeLimitExceededException.class);
        assertThat(mock.requestCount()).isEqualTo(1);
    }

    @Test
    void callWithinTheTimeLimitIsAllowed() { // scenario 13
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().maxTimeSeconds(10).build(), mock);
        gateway.call(callOf("a", "one"));
        clock.advanceSeconds(9);

        gateway.call(callOf("a", "two"));

        assertThat(mock.requestCount()).isEqualTo(2);
    }

    // ---- 14 ---------------------------------------------------------------------------------

    @Test
    void refusedCallLeavesNoTraceAtTheProviderAndAddsNoStepOrCost() { // scenario 14
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.01").build();
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(1).build(), mock);
        gateway.call(callOf("a", "one"));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> gateway.call(callOf("a", "refused"))).isInstanceOf(StepLimitExceededException.class);
        }

        assertThat(mock.requestCount()).isEqualTo(1);
        assertThat(mock.requests()).extracting(r -> r.lastUserMessage()).containsExactly("one");
        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(1L);
        assertThat(gateway.getMetrics().get("total_cost")).isEqualTo(new BigDecimal("0.01"));
        ScopeUsage global = gateway.usage(LimitScope.global());
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void refusalIsReportedToListeners() { // scenario 14
        List<ExecutionLimitException> refusals = new ArrayList<>();
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(0).build())
                .provider("mock", MockLlmClient.create())
                .listener(new GatewayListener() {
                    @Override
                    public void onLimitRefused(ExecutionLimitException refusal) {
                        refusals.add(refusal);
                    }
                }));

        assertThatThrownBy(() -> gateway.call(callOf("a", "one"))).isInstanceOf(StepLimitExceededException.class);

        assertThat(refusals).singleElement().isInstanceOf(StepLimitExceededException.class);
    }

    // ---- 15 ---------------------------------------------------------------------------------

    @Test
    void agentsThirdCallIsRefusedWhenPerAgentMaxStepsIsTwo() { // scenario 15
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().perAgentMaxSteps(2).build(), mock);
        gateway.call(callOf("A", "one"));
        gateway.call(callOf("A", "two"));

        assertThatThrownBy(() -> gateway.call(callOf("A", "three")))
                .isInstanceOfSatisfying(StepLimitExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo(LimitScope.agent("A"));
                    assertThat(e.current()).isEqualTo(2L);
                    assertThat(e.limit()).isEqualTo(2L);
                });
        assertThat(mock.requestCount()).isEqualTo(2);
    }

    @Test
    void anotherAgentCanStillCallWhenOneAgentUsedUpItsSteps() { // scenario 15
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().perAgentMaxSteps(2).build(), mock);
        gateway.call(callOf("A", "one"));
        gateway.call(callOf("A", "two"));
        assertThatThrownBy(() -> gateway.call(callOf("A", "three"))).isInstanceOf(StepLimitExceededException.class);

        gateway.call(callOf("B", "one"));
        gateway.call(callOf("B", "two"));

        assertThat(mock.requestCount()).isEqualTo(4);
        assertThat(gateway.usage(LimitScope.agent("B")).committedSteps()).isEqualTo(2);
    }

    @Test
    void namedAgentLimitsOverrideThePerAgentLimits() { // scenario 15
        Gateway gateway = gateway(ExecutionLimits.builder().perAgentMaxSteps(1)
                .agent("vip", ScopeLimits.of(3, null)).build(), MockLlmClient.create());

        gateway.call(callOf("vip", "one"));
        gateway.call(callOf("vip", "two"));
        gateway.call(callOf("vip", "three"));
        gateway.call(callOf("regular", "one"));

        assertThatThrownBy(() -> gateway.call(callOf("vip", "four"))).isInstanceOf(StepLimitExceededException.class);
        assertThatThrownBy(() -> gateway.call(callOf("regular", "two"))).isInstanceOf(StepLimitExceededException.class);
    }

    // ---- 16 ---------------------------------------------------------------------------------

    @Test
    void agentExhaustingItsBudgetDoesNotBlockOtherAgents() { // scenario 16
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.03").build();
        Gateway gateway = gateway(ExecutionLimits.builder().perAgentMaxBudget("0.05").build(), mock);
        gateway.call(callOf("A", "one"));

        assertThatThrownBy(() -> gateway.call(callOf("A", "two")))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo(LimitScope.agent("A"));
                    assertThat(e.current()).isEqualByComparingTo("0.03");
                    assertThat(e.limit()).isEqualByComparingTo("0.05");
                });
        gateway.call(callOf("B", "one"));

        assertThat(mock.requestCount()).isEqualTo(2);
        assertThat(gateway.usage(LimitScope.agent("A")).committedCost()).isEqualByComparingTo("0.03");
        assertThat(gateway.usage(LimitScope.agent("B")).committedCost()).isEqualByComparingTo("0.03");
    }

    @Test
    void tenantBudgetCapsAllAgentsOfThatTenantOnly() { // scenario 16 (tenant scope)
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.03").build();
        Gateway gateway = gateway(ExecutionLimits.builder().perTenantMaxBudget("0.05").build(), mock);
        gateway.call(callOf("A", "one").toBuilder().tenant("acme").build());

        assertThatThrownBy(() -> gateway.call(callOf("B", "two").toBuilder().tenant("acme").build()))
                .isInstanceOfSatisfying(BudgetExceededException.class,
                        e -> assertThat(e.scope()).isEqualTo(LimitScope.tenant("acme")));
        gateway.call(callOf("B", "three").toBuilder().tenant("globex").build());

        assertThat(mock.requestCount()).isEqualTo(2);
    }

    // ---- 17 ---------------------------------------------------------------------------------

    @Test
    void warningFiresOnceWhenEightyPercentOfTheStepLimitIsUsed() { // scenario 17
        List<LimitWarning> warnings = new ArrayList<>();
        Gateway gateway = gateway(Gateway.builder()
                .limits(ExecutionLimits.builder().maxSteps(5).warningThreshold(0.8).build())
                .provider("mock", MockLlmClient.create())
                .onLimitWarning(warnings::add));

        for (int i = 1; i <= 3; i++) {
            gateway.call(callOf("a", "call " + i));
        }
        assertThat(warnings).isEmpty();
        gateway.call(callOf("a", "call 4"));
        gateway.call(callOf("a", "call 5"));

        assertThat(warnings).singleElement().satisfies(warning -> {
            assertThat(warning.kind()).isEqualTo(LimitKind.STEPS);
            assertThat(warning.scope()).isEqualTo(LimitScope.global());
            assertThat(warning.current()).isEqualByComparingTo("4");
            assertThat(warning.limit()).isEqualByComparingTo("5");
            assertThat(warning.threshold()).isEqualTo(0.8);
        });
    }

    @Test
    void budgetWarningFiresOnceAtTheThreshold() { // scenario 17
        List<LimitWarning> warnings = new ArrayList<>();
        Gateway gateway = gateway(Gateway.builder()
                .limits(ExecutionLimits.builder().maxBudget("1.00").warningThreshold(0.5).build())
                .provider("mock", MockLlmClient.builder().costPerCall("0.20").build())
                .onLimitWarning(warnings::add));

        for (int i = 0; i < 4; i++) {
            gateway.call(callOf("a", "call " + i));
        }

        assertThat(warnings).singleElement().satisfies(warning -> {
            assertThat(warning.kind()).isEqualTo(LimitKind.BUDGET);
            assertThat(warning.current()).isEqualByComparingTo("0.60");
            assertThat(warning.limit()).isEqualByComparingTo("1.00");
        });
    }

    // ---- 18 ---------------------------------------------------------------------------------

    @Test
    void raisingTheStepLimitLetsABlockedGatewayContinue() { // scenario 18
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(2).build(), mock);
        gateway.call(callOf("a", "one"));
        gateway.call(callOf("a", "two"));
        assertThatThrownBy(() -> gateway.call(callOf("a", "three"))).isInstanceOf(StepLimitExceededException.class);

        gateway.updateLimits(ExecutionLimits.builder().maxSteps(3).build());
        gateway.call(callOf("a", "three"));

        assertThat(mock.requestCount()).isEqualTo(3);
        assertThatThrownBy(() -> gateway.call(callOf("a", "four"))).isInstanceOf(StepLimitExceededException.class);
    }

    @Test
    void loweringTheBudgetMidRunRefusesTheNextCall() { // scenario 18
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.10").build();
        Gateway gateway = gateway(ExecutionLimits.builder().maxBudget("1.00").build(), mock);
        gateway.call(callOf("a", "one"));

        gateway.updateLimits(ExecutionLimits.builder().maxBudget("0.15").build());

        assertThatThrownBy(() -> gateway.call(callOf("a", "two"))).isInstanceOf(BudgetExceededException.class);
        assertThat(gateway.getLimits().maxBudget()).isEqualByComparingTo("0.15");
        assertThat(mock.requestCount()).isEqualTo(1);
    }

    // ---- 21 ---------------------------------------------------------------------------------

    @Test
    void eachWorkflowRunGetsItsOwnStepAllowance() { // scenario 21
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().perWorkflowMaxSteps(2).build(), mock);
        gateway.call(runCall("a", "run-1", "one"));
        gateway.call(runCall("a", "run-1", "two"));

        assertThatThrownBy(() -> gateway.call(runCall("a", "run-1", "three")))
                .isInstanceOfSatisfying(StepLimitExceededException.class,
                        e -> assertThat(e.scope()).isEqualTo(LimitScope.workflow("run-1")));
        gateway.call(runCall("a", "run-2", "one"));
        gateway.call(runCall("a", "run-2", "two"));

        assertThat(mock.requestCount()).isEqualTo(4);
    }

    @Test
    void eachWorkflowRunGetsItsOwnBudget() { // scenario 21
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.04").build();
        Gateway gateway = gateway(ExecutionLimits.builder().perWorkflowMaxBudget("0.10").build(), mock);
        gateway.call(runCall("a", "run-1", "one"));
        gateway.call(runCall("a", "run-1", "two"));

        assertThatThrownBy(() -> gateway.call(runCall("a", "run-1", "three")))
                .isInstanceOfSatisfying(BudgetExceededException.class,
                        e -> assertThat(e.scope()).isEqualTo(LimitScope.workflow("run-1")));
        gateway.call(runCall("a", "run-2", "one"));
        gateway.call(runCall("a", "run-2", "two"));

        assertThat(gateway.usage(LimitScope.workflow("run-1")).committedCost()).isEqualByComparingTo("0.08");
        assertThat(gateway.usage(LimitScope.workflow("run-2")).committedCost()).isEqualByComparingTo("0.08");
    }

    @Test
    void globalLimitStillCapsAllWorkflowRuns() { // scenario 21
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(3).perWorkflowMaxSteps(2).build(), mock);
        gateway.call(runCall("a", "run-1", "one"));
        gateway.call(runCall("a", "run-1", "two"));
        gateway.call(runCall("a", "run-2", "one"));

        assertThatThrownBy(() -> gateway.call(runCall("a", "run-2", "two")))
                .isInstanceOfSatisfying(StepLimitExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo(LimitScope.global());
                    assertThat(e.current()).isEqualTo(3L);
                });
        assertThat(mock.requestCount()).isEqualTo(3);
        assertThat(gateway.usage(LimitScope.workflow("run-2")).committedSteps()).isEqualTo(1);
    }

    @Test
    void callsOfAWorkflowRunAreNumberedOneTwoThree() { // scenario 21
        Gateway gateway = gateway(ExecutionLimits.none(), MockLlmClient.create());
        gateway.call(runCall("a", "run-1", "one"));
        gateway.call(runCall("b", "run-2", "one"));
        gateway.call(runCall("b", "run-1", "two"));

        assertThat(gateway.getCallHistory(null, null)).extracting(r -> r.workflowId() + "#" + r.step())
                .containsExactly("run-1#1", "run-2#1", "run-1#2");
    }

    // ---- 22 ---------------------------------------------------------------------------------

    @Test
    void failedCallsReleaseTheirReservation() { // scenario 22
        // each attempt reserves $0.30: leaked reservations would exhaust the $1.00 budget by the fourth call
        TestClients.CountingClient broken = TestClients.failing(new IllegalStateException("down"), "0.30");
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxBudget("1.00").maxSteps(3).build())
                .provider("broken", broken));
        GatewayCall call = GatewayCall.builder().agentId("a").provider("broken").user("hi").maxTokens(100).build();

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> gateway.call(call)).isInstanceOf(ProviderException.class);
        }

        assertThat(broken.requestCount()).isEqualTo(5);
        @SuppressWarnings("unchecked")
        Map<String, Object> remaining = (Map<String, Object>) gateway.getMetrics().get("remaining");
        assertThat((BigDecimal) remaining.get("budget")).isEqualByComparingTo("1.00");
        assertThat(remaining.get("steps")).isEqualTo(3L);
        ScopeUsage global = gateway.usage(LimitScope.global());
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.failedCalls()).isEqualTo(5);
    }

    // ---- estimates --------------------------------------------------------------------------

    @Test
    void reservationPricesThePromptAndTheFullOutputAllowanceAtListPrice() { // scenario 12 / 14 (estimate)
        TestClients.CountingClient client = new TestClients.CountingClient(
                request -> dev.agentgateway.core.provider.LlmResponse.text("ok", 1, 1), null);
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxBudget("0.01").build())
                .provider("openai", client));
        GatewayCall call = GatewayCall.builder().agentId("a").provider("openai").model("gpt-4o").user("hi").maxTokens(1000).build();

        // "hi" is 10 prompt tokens on o200k (1 for the text, 1 for the role, 4 of message framing, 4 to prime the reply);
        // 10 * $2.50 + 1000 * $10.00 per million = $0.010025 > $0.01
        assertThatThrownBy(() -> gateway.call(call))
                .isInstanceOfSatisfying(BudgetExceededException.class,
                        e -> assertThat(e.estimate()).isEqualByComparingTo("0.010025"));
        assertThat(client.requestCount()).isZero();
    }

    @Test
    void callWithoutMaxTokensReservesTheDefaultOutputAllowance() { // scenario 12 / 14 (estimate)
        TestClients.CountingClient client = new TestClients.CountingClient(
                request -> dev.agentgateway.core.provider.LlmResponse.text("ok", 1, 1), null);
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxBudget("0.001").build())
                .defaultMaxOutputTokens(100).provider("openai", client));
        GatewayCall call = GatewayCall.builder().agentId("a").provider("openai").model("gpt-4o").user("hi").build();

        // 10 * $2.50 + 100 * $10.00 per million = $0.001025 > $0.001
        assertThatThrownBy(() -> gateway.call(call))
                .isInstanceOfSatisfying(BudgetExceededException.class,
                        e -> assertThat(e.estimate()).isEqualByComparingTo("0.001025"));
        assertThat(client.requestCount()).isZero();
    }

    // ---- the ledger on its own --------------------------------------------------------------

    @Test
    void ledgerReservesOnAllScopesOrNone() {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
        List<ScopedLimit> scopes = List.of(new ScopedLimit(LimitScope.global(), ScopeLimits.of(10, null)),
                new ScopedLimit(LimitScope.agent("a"), ScopeLimits.of(0, null)));

        assertThatThrownBy(() -> ledger.reserve("a", scopes, BigDecimal.ONE)).isInstanceOf(StepLimitExceededException.class);

        assertThat(ledger.usage(LimitScope.global()).reservedSteps()).isZero();
        assertThat(ledger.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void ledgerIgnoresAReservationMadeBeforeAReset() {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
        List<ScopedLimit> scopes = List.of(new ScopedLimit(LimitScope.global(), ScopeLimits.NONE));
        Reservation old = ledger.reserve("a", scopes, new BigDecimal("0.10"));

        ledger.reset();
        ledger.commit(old, new BigDecimal("0.10"), 10, 10);

        ScopeUsage usage = ledger.usage(LimitScope.global());
        assertThat(usage.committedSteps()).isZero();
        assertThat(usage.reservedSteps()).isZero();
        assertThat(usage.committedCost()).isEqualByComparingTo("0");
    }

    @Test
    void ledgerCommitReplacesTheEstimateByTheActualCost() {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger();
        List<ScopedLimit> scopes = List.of(new ScopedLimit(LimitScope.global(), ScopeLimits.of(null, new BigDecimal("1"))));
        Reservation reservation = ledger.reserve("a", scopes, new BigDecimal("0.50"));
        assertThat(ledger.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0.50");

        ledger.commit(reservation, new BigDecimal("0.20"), 7, 3);

        ScopeUsage usage = ledger.usage(LimitScope.global());
        assertThat(usage.reservedCost()).isEqualByComparingTo("0");
        assertThat(usage.committedCost()).isEqualByComparingTo("0.20");
        assertThat(usage.committedSteps()).isEqualTo(1);
        assertThat(usage.totalTokens()).isEqualTo(10);
    }

    @Test
    void negativeLimitsAreRejected() {
        assertThatThrownBy(() -> ExecutionLimits.builder().maxSteps(-1).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
