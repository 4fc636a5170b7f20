package dev.agentgateway.core.limits;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 15: what a run does at a limit — fail (the default), finish from a reserve, or go to a cheaper model. */
class LimitActionsTest {

    private static final ToolSpec WORK = ToolSpec.of("work", "does a bit of work", Map.of("type", "object"));
    private static final ToolExecutor TOOLS = (tool, arguments) -> "ok";
    private static final int THREADS = 16;

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    /**
     * Asks for a tool whenever tools are offered and concludes when none are. It estimates each call
     * at {@code estimate} (the last call, without tools, at {@code lastEstimate}) and charges
     * {@code charge} times the estimate: 1 for an honest provider, more for one that costs more than
     * it said.
     */
    private static final class Worker implements LlmClient {
        final List<LlmRequest> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger ids = new AtomicInteger();
        final BigDecimal estimate;
        final BigDecimal lastEstimate;
        final BigDecimal charge;

        Worker(String estimate, String lastEstimate, String charge) {
            this.estimate = new BigDecimal(estimate);
            this.lastEstimate = new BigDecimal(lastEstimate);
            this.charge = new BigDecimal(charge);
        }

        static Worker honest(String estimate) {
            return new Worker(estimate, estimate, "1");
        }

        @Override
        public LlmResponse complete(LlmRequest request) {
            requests.add(request);
            BigDecimal cost = estimateOf(request).multiply(charge);
            if (request.tools().isEmpty()) {
                return new LlmResponse("concluded", List.of(), 10, 5, cost, request.model(), request.provider(), 0, "stop");
            }
            ToolCall call = new ToolCall("call-" + ids.incrementAndGet(), "work", "{}");
            return new LlmResponse(null, List.of(call), 10, 5, cost, request.model(), request.provider(), 0, "tool_calls");
        }

        @Override
        public Optional<BigDecimal> estimateCost(LlmRequest request) {
            return Optional.of(estimateOf(request));
        }

        private BigDecimal estimateOf(LlmRequest request) {
            return request.tools().isEmpty() ? lastEstimate : estimate;
        }

        LlmRequest last() {
            return requests.get(requests.size() - 1);
        }
    }

    private Gateway gateway(LlmClient client, ExecutionLimits limits, LimitActions actions) {
        Gateway.Builder builder = Gateway.builder().provider("p", client).limits(limits).allowUnpricedModels(true);
        if (actions != null) {
            builder.limitActions("worker", actions);
        }
        Gateway gateway = builder.build();
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayCall run(String workflowId) {
        return GatewayCall.builder().agentId("worker").provider("p").model("gpt-4o").user("work until done")
                .workflowId(workflowId).tools(List.of(WORK)).build();
    }

    private static ExecutionLimits stepsPerRun(int steps) {
        return ExecutionLimits.builder().perWorkflowMaxSteps(steps).build();
    }

    private static ExecutionLimits budgetPerRun(String budget) {
        return ExecutionLimits.builder().perWorkflowMaxBudget(budget).build();
    }

    private static ExecutionLimits budgetPerAgent(String budget) {
        return ExecutionLimits.builder().perAgentMaxBudget(budget).build();
    }

    private static final LimitActions FINISH_AT_STEPS = LimitActions.finishing(OnLimit.FINISH, OnLimit.FAIL, null);

    private static LimitActions finishAtBudget(String reserve) {
        return LimitActions.finishing(OnLimit.FAIL, OnLimit.FINISH, new BigDecimal(reserve));
    }

    @Test
    void byDefaultTheStepLimitFailsTheRun() {
        Gateway gateway = gateway(Worker.honest("0.01"), stepsPerRun(3), null);

        assertThat(catchThrowableOfType(StepLimitExceededException.class, () -> gateway.callWithTools(run("run-1"), TOOLS, 50)))
                .isNotNull();
    }

    @Test
    void atTheStepLimitAFinishingRunMakesOneLastCallWithoutToolsAndEndsWithItsAnswer() {
        Worker worker = Worker.honest("0.01");
        Gateway gateway = gateway(worker, stepsPerRun(3), FINISH_AT_STEPS);

        LlmResponse answer = gateway.callWithTools(run("run-1"), TOOLS, 50);

        assertThat(answer.content()).isEqualTo("concluded");
        assertThat(answer.finishReason()).isEqualTo("limit_steps");
        assertThat(worker.requests).hasSize(3);
        assertThat(worker.last().tools()).isEmpty();
        assertThat(worker.last().lastMessage().content()).contains("reached its steps limit");
        assertThat(gateway.usage(LimitScope.workflow("run-1")).committedSteps()).isEqualTo(3);
    }

    @Test
    void atTheBudgetLimitAFinishingRunConcludesFromTheReserveAndSpendsNoMoreThanTheLimit() {
        Worker worker = Worker.honest("0.01");
        Gateway gateway = gateway(worker, budgetPerRun("0.05"), finishAtBudget("0.01"));

        LlmResponse answer = gateway.callWithTools(run("run-1"), TOOLS, 50);

        assertThat(answer.finishReason()).isEqualTo("limit_budget");
        assertThat(worker.requests).hasSize(5);
        assertThat(worker.last().tools()).isEmpty();
        assertThat(gateway.usage(LimitScope.workflow("run-1")).committedCost()).isEqualByComparingTo("0.05");
    }

    @Test
    void aLastCallThatDoesNotFitInWhatIsLeftIsRefusedAndTheRunFails() {
        Worker worker = new Worker("0.01", "0.02", "1");
        Gateway gateway = gateway(worker, budgetPerRun("0.05"), finishAtBudget("0.005"));

        BudgetExceededException refused = catchThrowableOfType(BudgetExceededException.class,
                () -> gateway.callWithTools(run("run-1"), TOOLS, 50));

        assertThat(refused.getSuppressed()).hasSize(1);
        assertThat(worker.requests).allSatisfy(request -> assertThat(request.tools()).isNotEmpty());
        assertThat(gateway.usage(LimitScope.workflow("run-1")).committedCost()).isLessThanOrEqualTo(new BigDecimal("0.05"));
    }

    @Test
    void aRunThatFinishesAtItsBudgetIsRecordedWithTheLastCallInTheHistory() {
        Gateway gateway = gateway(Worker.honest("0.01"), budgetPerRun("0.03"), finishAtBudget("0.01"));

        gateway.callWithTools(run("run-1"), TOOLS, 50);

        List<CallRecord> calls = gateway.getCallHistory(new HistoryQuery("worker", "run-1", null, null, null, null, null));
        assertThat(calls).filteredOn(CallRecord::success).hasSize(3);
        assertThat(calls).filteredOn(record -> !record.success()).hasSize(1); // the ordinary call the held-back budget refused
    }

    /** Runs {@code THREADS} runs of the agent at once, each until it ends; returns their answers and refusals. */
    private static List<Object> runTogether(Gateway gateway) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                String workflowId = "run-" + i;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        outcomes.add(gateway.callWithTools(run(workflowId), TOOLS, 1_000));
                    } catch (BudgetExceededException refused) {
                        outcomes.add(refused);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(outcomes);
    }

    @Test
    void manyRunsFinishingAtASharedBudgetNeverSpendPastIt() throws Exception {
        Worker worker = Worker.honest("0.01");
        Gateway gateway = gateway(worker, budgetPerAgent("0.50"), finishAtBudget("0.05"));

        List<Object> outcomes = runTogether(gateway);

        assertThat(outcomes).hasSize(THREADS);
        assertThat(gateway.usage(LimitScope.agent("worker")).committedCost()).isLessThanOrEqualTo(new BigDecimal("0.50"));
        assertThat(outcomes).filteredOn(LlmResponse.class::isInstance)
                .isNotEmpty()
                .allSatisfy(answer -> assertThat(((LlmResponse) answer).finishReason()).isEqualTo("limit_budget"));
        // the ordinary calls never got at the reserve: at most 45 of them at 0.01
        assertThat(worker.requests).filteredOn(request -> !request.tools().isEmpty()).hasSizeLessThanOrEqualTo(45);
    }

    @Test
    void withAProviderThatCostsMoreThanItsEstimateTheGatewayStillAdmitsNoCallTheLimitCannotHoldByEstimate()
            throws Exception {
        Worker worker = new Worker("0.01", "0.01", "3"); // charges three times what it estimated
        Gateway gateway = gateway(worker, budgetPerAgent("0.50"), finishAtBudget("0.05"));

        List<Object> outcomes = runTogether(gateway);

        assertThat(outcomes).hasSize(THREADS);
        int calls = worker.requests.size();
        BigDecimal committed = gateway.usage(LimitScope.agent("worker")).committedCost();
        // the over-run is charged (never hidden); every call was admitted on what was left by its estimate, so what
        // went past the limit is at most the over-run of the calls in flight at the end: one per thread
        assertThat(committed).isEqualByComparingTo(new BigDecimal("0.03").multiply(BigDecimal.valueOf(calls)));
        assertThat(committed).isLessThanOrEqualTo(new BigDecimal("0.50").add(new BigDecimal("0.02").multiply(BigDecimal.valueOf(THREADS))));
        assertThat(worker.requests).filteredOn(request -> request.tools().isEmpty())
                .hasSizeLessThanOrEqualTo((int) (outcomes.stream().filter(LlmResponse.class::isInstance).count()));
    }

    @Test
    void pastABudgetsWarningThresholdTheAgentsCallsGoToTheCheaperModelAndAreRecordedSo() {
        Worker worker = Worker.honest("0.02");
        Gateway gateway = gateway(worker, budgetPerAgent("0.10"), LimitActions.FAIL.withDowngradeModel("gpt-4o-mini"));
        GatewayCall call = GatewayCall.builder().agentId("worker").provider("p").model("gpt-4o").user("hi").build();

        for (int i = 0; i < 5; i++) {
            gateway.call(call);
        }

        assertThat(worker.requests).extracting(LlmRequest::model)
                .containsExactly("gpt-4o", "gpt-4o", "gpt-4o", "gpt-4o", "gpt-4o-mini");
        assertThat(gateway.getCallHistory("worker", null)).extracting(CallRecord::model)
                .containsExactly("gpt-4o", "gpt-4o", "gpt-4o", "gpt-4o", "gpt-4o-mini");
    }

    @Test
    void manyThreadsOfADowngradedAgentNeverSpendPastItsBudget() throws Exception {
        Worker worker = Worker.honest("0.01");
        Gateway gateway = gateway(worker, budgetPerAgent("0.50"), LimitActions.FAIL.withDowngradeModel("gpt-4o-mini"));

        List<Object> outcomes = runTogether(gateway);

        assertThat(outcomes).hasSize(THREADS).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(BudgetExceededException.class));
        assertThat(gateway.usage(LimitScope.agent("worker")).committedCost()).isLessThanOrEqualTo(new BigDecimal("0.50"));
        assertThat(worker.requests).extracting(LlmRequest::model).contains("gpt-4o", "gpt-4o-mini");
    }

    @Test
    void finishingAtABudgetWithoutAReserveIsRefusedWhenConfigured() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> LimitActions.finishing(OnLimit.FAIL, OnLimit.FINISH, null))).hasMessageContaining("finishReserve");
    }
}
