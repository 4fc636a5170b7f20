package dev.agentgateway.core;

import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmProvider;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ModelPrice;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.testsupport.MutableClock;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Scenarios 1-10: calls, metrics, history, reset and the clock; plus edge cases of the call path. */
class GatewayCallTest {

    private final MutableClock clock = MutableClock.create();
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.clock(clock).build();
        gateways.add(gateway);
        return gateway;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> remaining(Gateway gateway) {
        return (Map<String, Object>) gateway.getMetrics().get("remaining");
    }

    private static GatewayCall callOf(String agent, String prompt) {
        return GatewayCall.builder().agentId(agent).provider("mock").model("mock-model").user(prompt).build();
    }

    // ---- 1 ----------------------------------------------------------------------------------

    @Test
    void callReturnsTheMockAnswerWithAPositiveCostAndInputTokens() { // scenario 1
        MockLlmClient mock = MockLlmClient.answering("Hello from mock!");
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));

        LlmResponse response = gateway.call("agent_1", "mock", "mock-model", "Hi");

        assertThat(response.content()).isEqualTo("Hello from mock!");
        // "mock-model" has no public tokenizer, so the mock counts as the gateway bounds it: one token a UTF-8 byte
        // ("Hi" 2, the role "USER" 4) plus 16 of message framing and 16 to prime the reply = 38; the answer is 16 bytes;
        // at the mock's default price of $1/$2 per million: 38 * 1 + 16 * 2 = 70 micro-dollars.
        assertThat(response.inputTokens()).isEqualTo(38);
        assertThat(response.outputTokens()).isEqualTo(16);
        assertThat(response.cost()).isPositive().isEqualByComparingTo("0.00007");
        assertThat(response.provider()).isEqualTo("mock");
        assertThat(mock.requestCount()).isEqualTo(1);
    }

    // ---- 2 ----------------------------------------------------------------------------------

    @Test
    void fiveCallsAtOneCentEachAddUpToExactlyFiveCents() { // scenario 2
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.builder().costPerCall("0.01").build()));

        for (int i = 0; i < 5; i++) {
            gateway.call(callOf("agent_1", "question " + i));
        }

        Map<String, Object> metrics = gateway.getMetrics();
        assertThat(metrics.get("total_steps")).isEqualTo(5L);
        assertThat(metrics.get("call_count")).isEqualTo(5L);
        assertThat(metrics.get("total_cost")).isEqualTo(new BigDecimal("0.05"));
    }

    // ---- 3 ----------------------------------------------------------------------------------

    @Test
    void metricsHaveExactlyTheSeedKeys() { // scenario 3
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        gateway.call(callOf("agent_1", "hello"));

        Map<String, Object> metrics = gateway.getMetrics();

        assertThat(metrics).containsOnlyKeys("total_cost", "total_steps", "total_tokens", "input_tokens", "output_tokens",
                "elapsed_seconds", "remaining", "call_count");
        assertThat(remaining(gateway)).containsOnlyKeys("budget", "steps", "time");
    }

    @Test
    void remainingIsNullForEveryLimitThatIsNotSet() { // scenario 3
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        gateway.call(callOf("agent_1", "hello"));

        Map<String, Object> remaining = remaining(gateway);

        assertThat(remaining.get("budget")).isNull();
        assertThat(remaining.get("steps")).isNull();
        assertThat(remaining.get("time")).isNull();
    }

    @Test
    void remainingShowsWhatIsLeftOfEachLimit() { // scenario 3
        Gateway gateway = gateway(Gateway.builder()
                .limits(ExecutionLimits.builder().maxBudget("1.00").maxSteps(10).maxTimeSeconds(60).build())
                .provider("mock", MockLlmClient.builder().costPerCall("0.25").build()));
        gateway.call(callOf("agent_1", "hello"));
        clock.advanceSeconds(15);

        Map<String, Object> remaining = remaining(gateway);

        assertThat((BigDecimal) remaining.get("budget")).isEqualByComparingTo("0.75");
        assertThat(remaining.get("steps")).isEqualTo(9L);
        assertThat(remaining.get("time")).isEqualTo(45.0);
    }

    @Test
    void remainingIsNeverNegativeWhenUsageOvershootsTheLimits() { // scenario 3
        // an unknown model has no estimate: allowed explicitly, the call is let through and then costs more than the budget
        Gateway gateway = gateway(Gateway.builder().allowUnpricedModels(true)
                .limits(ExecutionLimits.builder().maxBudget("0.01").maxSteps(5).maxTimeSeconds(1).build())
                .provider("mock", request -> new LlmResponse("ok", List.of(), 10, 5, new BigDecimal("0.05"),
                        null, null, 0, "stop")));
        gateway.call(callOf("agent_1", "one"));
        gateway.updateLimits(gateway.getLimits().toBuilder().maxSteps(0).build());
        clock.advanceSeconds(5);

        Map<String, Object> remaining = remaining(gateway);

        assertThat(gateway.getMetrics().get("total_cost")).isEqualTo(new BigDecimal("0.05"));
        assertThat((BigDecimal) remaining.get("budget")).isEqualByComparingTo("0");
        assertThat(remaining.get("steps")).isEqualTo(0L);
        assertThat(remaining.get("time")).isEqualTo(0.0);
    }

    // ---- 4 ----------------------------------------------------------------------------------

    @Test
    void totalTokensAreInputPlusOutputTokens() { // scenario 4
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.builder().tokens(7, 3).build()));
        gateway.call(callOf("agent_1", "one"));
        gateway.call(callOf("agent_1", "two"));

        Map<String, Object> metrics = gateway.getMetrics();

        assertThat(metrics.get("input_tokens")).isEqualTo(14L);
        assertThat(metrics.get("output_tokens")).isEqualTo(6L);
        assertThat(metrics.get("total_tokens")).isEqualTo(20L);
        assertThat(gateway.metrics().totalTokens()).isEqualTo(20L);
    }

    // ---- 5 ----------------------------------------------------------------------------------

    @Test
    void historyListsAllCallsOldestFirst() { // scenario 5
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        gateway.call(callOf("agent_1", "first"));
        gateway.call(callOf("agent_2", "second"));

        assertThat(gateway.getCallHistory(null, null)).extracting(CallRecord::agentId).containsExactly("agent_1", "agent_2");
    }

    @Test
    void historyFiltersByAgent() { // scenario 5
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        gateway.call(callOf("agent_1", "first"));
        gateway.call(callOf("agent_2", "second"));

        List<CallRecord> history = gateway.getCallHistory("agent_1", null);

        assertThat(history).hasSize(1);
        assertThat(history.get(0).request().lastUserMessage()).isEqualTo("first");
    }

    @Test
    void historyLimitKeepsOnlyTheNewest() { // scenario 5
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        gateway.call(callOf("agent_1", "first"));
        gateway.call(callOf("agent_2", "second"));

        assertThat(gateway.getCallHistory(null, 1)).extracting(CallRecord::agentId).containsExactly("agent_2");
    }

    // ---- 6 ----------------------------------------------------------------------------------

    @Test
    void providerFailureReachesTheCallerAsProviderException() { // scenario 6
        Gateway gateway = gateway(Gateway.builder().provider("mock", TestClients.failing(new IllegalStateException("boom"))));

        assertThatThrownBy(() -> gateway.call(callOf("agent_1", "hello")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("boom")
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void providerFailureIsRecordedWithItsErrorText() { // scenario 6
        Gateway gateway = gateway(Gateway.builder().provider("mock", TestClients.failing(
                new ProviderServerException("mock", 503, "upstream unavailable", null))));

        assertThatThrownBy(() -> gateway.call(callOf("agent_1", "hello"))).isInstanceOf(ProviderServerException.class);

        List<CallRecord> history = gateway.getCallHistory(null, null);
        assertThat(history).hasSize(1);
        CallRecord failed = history.get(0);
        assertThat(failed.success()).isFalse();
        assertThat(failed.error()).contains("upstream unavailable");
        assertThat(failed.errorType()).isEqualTo("ProviderServerException");
        assertThat(failed.response()).isNull();
        assertThat(failed.cost()).isEqualByComparingTo("0");
    }

    @Test
    void providerFailureLeavesStepsAndCostUnchanged() { // scenario 6
        MockLlmClient good = MockLlmClient.builder().costPerCall("0.02").build();
        Gateway gateway = gateway(Gateway.builder().provider("mock", good)
                .provider("broken", TestClients.failing(new IllegalStateException("boom"))));
        gateway.call(callOf("agent_1", "works"));

        assertThatThrownBy(() -> gateway.call(GatewayCall.builder().agentId("agent_1").provider("broken").user("fails").build()))
                .isInstanceOf(ProviderException.class);

        Map<String, Object> metrics = gateway.getMetrics();
        assertThat(metrics.get("total_steps")).isEqualTo(1L);
        assertThat(metrics.get("call_count")).isEqualTo(1L);
        assertThat(metrics.get("total_cost")).isEqualTo(new BigDecimal("0.02"));
        assertThat(gateway.metrics().failedCalls()).isEqualTo(1L);
    }

    // ---- 7 ----------------------------------------------------------------------------------

    @Test
    void callRecordCarriesEverythingAboutTheCall() { // scenario 7
        MockLlmClient mock = MockLlmClient.builder().defaultResponse("answer").costPerCall("0.03").tokens(12, 4).build();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));

        LlmResponse response = gateway.call(GatewayCall.builder().agentId("researcher").provider("mock").model("mock-model")
                .system("be brief").user("what is 2+2?").workflowId("wf-7").build());

        CallRecord record = gateway.getCallHistory(null, null).get(0);
        assertThat(record.agentId()).isEqualTo("researcher");
        assertThat(record.provider()).isEqualTo("mock");
        assertThat(record.model()).isEqualTo("mock-model");
        assertThat(record.request().messages())
                .containsExactly(LlmMessage.system("be brief"), LlmMessage.user("what is 2+2?"));
        assertThat(record.response()).isEqualTo(response);
        assertThat(record.response().content()).isEqualTo("answer");
        assertThat(record.error()).isNull();
        assertThat(record.timestamp()).isEqualTo(MutableClock.DEFAULT_START);
        assertThat(record.success()).isTrue();
        assertThat(record.cost()).isEqualByComparingTo("0.03");
        assertThat(record.latencyMs()).isGreaterThanOrEqualTo(0.0);
        assertThat(record.workflowId()).isEqualTo("wf-7");
        assertThat(record.step()).isEqualTo(1);
        assertThat(record.inputTokens()).isEqualTo(12);
        assertThat(record.outputTokens()).isEqualTo(4);
        assertThat(record.priced()).isTrue();
    }

    // ---- 8 ----------------------------------------------------------------------------------

    @Test
    void callToAnUnknownProviderFailsNamingTheProvider() { // scenario 8
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));

        assertThatThrownBy(() -> gateway.call(GatewayCall.builder().agentId("a").provider("nope").user("hi").build()))
                .isInstanceOfSatisfying(ProviderNotFoundException.class, e -> assertThat(e.provider()).isEqualTo("nope"))
                .hasMessageContaining("'nope'");
    }

    @Test
    void callToAnUnknownProviderConsumesNoLimit() { // scenario 8
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(1).maxTimeSeconds(10).build())
                .provider("mock", MockLlmClient.create()));
        clock.advanceSeconds(100);

        assertThatThrownBy(() -> gateway.call(GatewayCall.builder().agentId("a").provider("nope").user("hi").build()))
                .isInstanceOf(ProviderNotFoundException.class);

        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(0L);
        assertThat(gateway.getMetrics().get("elapsed_seconds")).isEqualTo(0.0);
        assertThat(gateway.usage(LimitScope.global()).reservedSteps()).isZero();
        assertThat(gateway.call(callOf("a", "still allowed")).content()).isEqualTo(MockLlmClient.DEFAULT_RESPONSE);
    }

    @Test
    void configuringAnUnknownProviderFailsNamingTheProvider() { // scenario 8
        Gateway gateway = gateway(Gateway.builder());

        assertThatThrownBy(() -> gateway.configureProvider("nope", "key-123"))
                .isInstanceOfSatisfying(ProviderNotFoundException.class, e -> assertThat(e.provider()).isEqualTo("nope"))
                .hasMessageContaining("'nope'");
    }

    @Test
    void configuringAKnownProviderWithoutItsModuleFailsWithoutLeakingTheApiKey() { // scenario 8 (+ secrets)
        Gateway gateway = gateway(Gateway.builder());

        assertThatThrownBy(() -> gateway.configureProvider(LlmProvider.OPENAI, "sk-secret-123"))
                .isInstanceOfSatisfying(ProviderNotFoundException.class, e -> assertThat(e.provider()).isEqualTo("openai"))
                .hasMessageContaining("spring-ai-openai")
                .hasMessageNotContaining("sk-secret-123");
    }

    @Test
    void configuringTheMockProviderByNameUsesItsOptions() {
        Gateway gateway = gateway(Gateway.builder());

        gateway.configureProvider("MOCK", null, Map.of("response", "configured", "cost-per-call", "0.02"));
        LlmResponse response = gateway.call(callOf("a", "hi"));

        assertThat(gateway.providerIds()).containsExactly("mock");
        assertThat(response.content()).isEqualTo("configured");
        assertThat(response.cost()).isEqualByComparingTo("0.02");
    }

    // ---- 9 ----------------------------------------------------------------------------------

    @Test
    void resetZeroesMetricsAndClearsHistory() { // scenario 9
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.builder().costPerCall("0.01").build()));
        gateway.call(callOf("a", "one"));
        gateway.call(callOf("a", "two"));
        clock.advanceSeconds(30);

        gateway.reset();

        Map<String, Object> metrics = gateway.getMetrics();
        assertThat(metrics.get("total_steps")).isEqualTo(0L);
        assertThat(metrics.get("call_count")).isEqualTo(0L);
        assertThat((BigDecimal) metrics.get("total_cost")).isEqualByComparingTo("0");
        assertThat(metrics.get("total_tokens")).isEqualTo(0L);
        assertThat(metrics.get("elapsed_seconds")).isEqualTo(0.0);
        assertThat(gateway.getCallHistory(null, null)).isEmpty();
    }

    @Test
    void resetLetsAGatewayThatReachedItsStepLimitCallAgain() { // scenario 9
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(1).build()).provider("mock", mock));
        gateway.call(callOf("a", "one"));
        assertThatThrownBy(() -> gateway.call(callOf("a", "two"))).isInstanceOf(StepLimitExceededException.class);

        gateway.reset();
        gateway.call(callOf("a", "three"));

        assertThat(mock.requestCount()).isEqualTo(2);
        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(1L);
    }

    @Test
    void resetClearsLoopState() { // scenario 9
        Gateway gateway = gateway(Gateway.builder().loopDetection(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build())
                .provider("mock", MockLlmClient.answering("same")));
        gateway.call(callOf("a", "one"));
        gateway.call(callOf("a", "two"));

        gateway.reset();
        gateway.call(callOf("a", "three"));
        gateway.call(callOf("a", "four"));

        assertThat(gateway.loopsDetected()).isZero();
        assertThatThrownBy(() -> gateway.call(callOf("a", "five"))).isInstanceOf(LoopDetectedException.class);
    }

    @Test
    void resetClearsCheckpoints() { // scenario 9
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        gateway.call(callOf("a", "one").toBuilder().workflowId("wf").step(1).state(Map.of("k", "v")).build());
        assertThat(gateway.getCheckpoint("wf", 1)).isNotNull();

        gateway.reset();

        assertThat(gateway.getCheckpoint("wf", 1)).isNull();
        assertThat(gateway.getCheckpoint("wf", null)).isNull();
    }

    @Test
    void resetRestartsTheClockOfTheTimeLimit() { // scenario 9
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxTimeSeconds(10).build())
                .provider("mock", MockLlmClient.create()));
        gateway.call(callOf("a", "one"));
        clock.advanceSeconds(20);

        gateway.reset();
        clock.advanceSeconds(5);
        gateway.call(callOf("a", "two"));
        clock.advanceSeconds(3);

        assertThat(gateway.getMetrics().get("elapsed_seconds")).isEqualTo(3.0);
    }

    // ---- 10 ---------------------------------------------------------------------------------

    @Test
    void elapsedTimeIsZeroUntilTheFirstCall() { // scenario 10
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        clock.advanceSeconds(42);

        assertThat(gateway.getMetrics().get("elapsed_seconds")).isEqualTo(0.0);
    }

    @Test
    void elapsedTimeCountsFromTheFirstCall() { // scenario 10
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        clock.advanceSeconds(42);
        gateway.call(callOf("a", "one"));
        clock.advanceSeconds(3);

        assertThat(gateway.getMetrics().get("elapsed_seconds")).isEqualTo(3.0);
    }

    @Test
    void elapsedTimeCountsFromAnExplicitStart() { // scenario 10
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));
        clock.advanceSeconds(42);
        gateway.start();
        clock.advanceSeconds(2);
        gateway.call(callOf("a", "one"));
        clock.advanceSeconds(2);

        assertThat(gateway.getMetrics().get("elapsed_seconds")).isEqualTo(4.0);
    }

    // ---- edge cases -------------------------------------------------------------------------

    @Test
    void unknownModelCostsNothingAndIsFlaggedAsUnpriced() {
        Gateway gateway = gateway(Gateway.builder().provider("local", request -> LlmResponse.text("hi", 100, 50)));

        LlmResponse response = gateway.call("a", "local", "my-own-llama", "hello");

        CallRecord record = gateway.getCallHistory(null, null).get(0);
        assertThat(response.cost()).isEqualByComparingTo("0");
        assertThat(record.cost()).isEqualByComparingTo("0");
        assertThat(record.priced()).isFalse();
        assertThat(record.success()).isTrue();
    }

    @Test
    void knownModelIsPricedFromThePriceTable() {
        Gateway gateway = gateway(Gateway.builder().provider("local", request -> LlmResponse.text("hi", 1000, 500)));

        LlmResponse response = gateway.call("a", "local", "gpt-4o-2024-08-06", "hello");

        // gpt-4o: $2.50 in / $10.00 out per million tokens
        assertThat(response.cost()).isEqualByComparingTo("0.0075");
        assertThat(gateway.getCallHistory(null, null).get(0).priced()).isTrue();
    }

    @Test
    void anUpdatedPriceTableChangesThePriceOfTheNextCall() {
        Gateway gateway = gateway(Gateway.builder().priceTable(PriceTable.empty())
                .provider("local", request -> LlmResponse.text("hi", 1_000_000, 0)));
        assertThat(gateway.call("a", "local", "house-model", "one").cost()).isEqualByComparingTo("0");

        gateway.updatePriceTable(PriceTable.empty().with("house-model", ModelPrice.of("3.00", "6.00")));

        assertThat(gateway.call("a", "local", "house-model", "two").cost()).isEqualByComparingTo("3.00");
    }

    @Test
    void beforeHookVetoStopsTheCallBeforeTheProvider() {
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock).onBeforeCall(context -> {
            throw new SecurityException("not today");
        }));

        assertThatThrownBy(() -> gateway.call(callOf("a", "hi"))).isInstanceOf(SecurityException.class).hasMessage("not today");

        assertThat(mock.requestCount()).isZero();
        CallRecord vetoed = gateway.getCallHistory(null, null).get(0);
        assertThat(vetoed.success()).isFalse();
        assertThat(vetoed.error()).contains("not today");
        assertThat(vetoed.errorType()).isEqualTo("SecurityException");
    }

    @Test
    void beforeHookVetoReleasesTheReservation() {
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.50").build();
        boolean[] veto = {true};
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(1).maxBudget("0.50").build())
                .provider("mock", mock).onBeforeCall(context -> {
                    if (veto[0]) {
                        throw new SecurityException("vetoed");
                    }
                }));
        assertThatThrownBy(() -> gateway.call(callOf("a", "hi"))).isInstanceOf(SecurityException.class);

        assertThat(gateway.usage(LimitScope.global()).reservedSteps()).isZero();
        assertThat(gateway.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0");
        assertThat(gateway.usage(LimitScope.global()).failedCalls()).isEqualTo(1); // a veto is a refused call
        veto[0] = false;
        gateway.call(callOf("a", "hi again"));
        assertThat(mock.requestCount()).isEqualTo(1);
        assertThat(gateway.getMetrics().get("total_cost")).isEqualTo(new BigDecimal("0.50"));
    }

    @Test
    void hooksSeeTheCallAndTheSettledResponse() {
        List<String> seen = new ArrayList<>();
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.builder().costPerCall("0.01").build())
                .onBeforeCall(context -> seen.add("before " + context.agentId() + " " + context.request().lastUserMessage()))
                .onAfterCall((context, response) -> seen.add("after " + context.agentId() + " " + response.cost())));

        gateway.call(callOf("writer", "draft"));

        assertThat(seen).containsExactly("before writer draft", "after writer 0.01");
    }

    @Test
    void agentIdComesFromTheGatewayContextWhenTheCallHasNone() {
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create()));

        new GatewayContext("context-agent", "wf-ctx", "tenant-1").run(() ->
                gateway.call(GatewayCall.builder().provider("mock").user("hi").build()));

        CallRecord record = gateway.getCallHistory(null, null).get(0);
        assertThat(record.agentId()).isEqualTo("context-agent");
        assertThat(record.workflowId()).isEqualTo("wf-ctx");
        assertThat(record.tenant()).isEqualTo("tenant-1");
    }

    @Test
    void callWithoutAnyAgentIdIsRejected() {
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));

        assertThatThrownBy(() -> gateway.call(GatewayCall.builder().provider("mock").user("hi").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent id");
        assertThat(mock.requestCount()).isZero();
    }

    @Test
    void callAsyncCarriesTheCallersContext() throws Exception {
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.answering("async answer")));

        CompletableFuture<LlmResponse> future = new GatewayContext("async-agent", null, null)
                .call(() -> gateway.callAsync(GatewayCall.builder().provider("mock").user("hi").build()));

        assertThat(future.get(10, TimeUnit.SECONDS).content()).isEqualTo("async answer");
        assertThat(gateway.getCallHistory(null, null)).extracting(CallRecord::agentId).containsExactly("async-agent");
    }

    @Test
    void completeRunForgetsTheRunsUsageAndCheckpoints() {
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true)
                .limits(ExecutionLimits.builder().perWorkflowMaxSteps(1).build()).provider("mock", MockLlmClient.create()));
        gateway.call(callOf("a", "one").toBuilder().workflowId("wf").build());

        gateway.completeRun("wf");

        assertThat(gateway.usage(LimitScope.workflow("wf")).committedSteps()).isZero();
        assertThat(gateway.getCheckpoint("wf", null)).isNull();
        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(1L);
    }

    @Test
    void listenerIsToldOfRecordedCalls() {
        List<CallRecord> recorded = new ArrayList<>();
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.create())
                .listener(new GatewayListener() {
                    @Override
                    public void onCallRecorded(CallRecord record) {
                        recorded.add(record);
                    }
                }));

        gateway.call(callOf("a", "one"));

        assertThat(recorded).containsExactlyElementsOf(gateway.getCallHistory(null, null));
    }

    @Test
    void aFailingListenerDoesNotBreakTheCall() {
        Gateway gateway = gateway(Gateway.builder().provider("mock", MockLlmClient.answering("fine"))
                .listener(new GatewayListener() {
                    @Override
                    public void onCallRecorded(CallRecord record) {
                        throw new IllegalStateException("listener bug");
                    }
                }));

        assertThat(gateway.call(callOf("a", "one")).content()).isEqualTo("fine");
    }

    @Test
    void historyCapacityBoundsTheDefaultHistory() {
        Gateway gateway = gateway(Gateway.builder().historyCapacity(2).provider("mock", MockLlmClient.create()));
        gateway.call(callOf("a", "one"));
        gateway.call(callOf("a", "two"));
        gateway.call(callOf("a", "three"));

        assertThat(gateway.getCallHistory(null, null)).extracting(r -> r.request().lastUserMessage())
                .containsExactly("two", "three");
    }

    @Test
    void checkpointOfAPlainCallIsNotResumable() {
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        gateway.call(callOf("a", "one").toBuilder().workflowId("wf").build());

        Checkpoint checkpoint = gateway.getCheckpoint("wf", null);

        assertThat(checkpoint.step()).isEqualTo(1);
        assertThat(checkpoint.resumable()).isFalse();
        assertThat(checkpoint.metrics()).contains(entry("total_steps", 1L));
    }

    @Test
    void zeroToolTimeoutIsRejected() {
        assertThatThrownBy(() -> Gateway.builder().toolTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toolTimeout");
    }

    @Test
    void zeroHistoryCapacityIsRejected() {
        assertThatThrownBy(() -> Gateway.builder().historyCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyCapacity");
    }
}
