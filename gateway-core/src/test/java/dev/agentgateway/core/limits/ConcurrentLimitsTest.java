package dev.agentgateway.core.limits;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenarios 19 and 20: limits hold when many threads call at once. */
class ConcurrentLimitsTest {

    private static final int THREADS = 64;

    /** What one caller got: a response or the exception it was refused or failed with. */
    private record Outcome(LlmResponse response, RuntimeException failure) {
    }

    /** Runs {@code THREADS} calls released together by a barrier and returns every outcome. */
    private static List<Outcome> callTogether(Gateway gateway, int threads, java.util.function.IntFunction<GatewayCall> calls)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        outcomes.add(new Outcome(gateway.call(calls.apply(index)), null));
                    } catch (RuntimeException e) {
                        outcomes.add(new Outcome(null, e));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(outcomes);
    }

    private static long count(List<Outcome> outcomes, Class<? extends RuntimeException> type) {
        return outcomes.stream().filter(o -> type.isInstance(o.failure())).count();
    }

    @Test
    void exactlyTenOfSixtyFourConcurrentCallsReachTheProviderWhenMaxStepsIsTen() throws Exception { // scenario 19
        MockLlmClient mock = MockLlmClient.create();
        try (Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxSteps(10).build())
                .provider("mock", mock).build()) {

            List<Outcome> outcomes = callTogether(gateway, THREADS,
                    i -> GatewayCall.builder().agentId("agent-" + i).provider("mock").user("call " + i).build());

            assertThat(outcomes).hasSize(THREADS);
            assertThat(mock.requestCount()).isEqualTo(10);
            assertThat(outcomes.stream().filter(o -> o.response() != null).count()).isEqualTo(10);
            assertThat(count(outcomes, StepLimitExceededException.class)).isEqualTo(54);
            assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(10L);
            assertThat(gateway.usage(LimitScope.global()).reservedSteps()).isZero();
        }
    }

    @Test
    void perAgentStepLimitHoldsUnderConcurrency() throws Exception { // scenario 19 (agent scope)
        MockLlmClient mock = MockLlmClient.create();
        try (Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().perAgentMaxSteps(3).build())
                .provider("mock", mock).build()) {

            // 64 callers, 4 agents of 16 callers each: each agent gets exactly 3 calls through
            List<Outcome> outcomes = callTogether(gateway, THREADS,
                    i -> GatewayCall.builder().agentId("agent-" + (i % 4)).provider("mock").user("call " + i).build());

            assertThat(mock.requestCount()).isEqualTo(12);
            assertThat(count(outcomes, StepLimitExceededException.class)).isEqualTo(52);
            for (int agent = 0; agent < 4; agent++) {
                assertThat(gateway.usage(LimitScope.agent("agent-" + agent)).committedSteps()).isEqualTo(3);
            }
        }
    }

    @Test
    void concurrentCallsWithRandomCostsNeverOverspendTheBudget() throws Exception { // scenario 20
        BigDecimal min = new BigDecimal("0.02");
        BigDecimal max = new BigDecimal("0.06");
        MockLlmClient mock = MockLlmClient.builder().costBetween(min, max).seed(20L).build();
        // every eighth request that reaches the mock fails there, to show failures release their reservations too
        AtomicInteger reached = new AtomicInteger();
        LlmClient flaky = new LlmClient() {
            @Override
            public LlmResponse complete(LlmRequest request) {
                LlmResponse response = mock.complete(request);
                if (reached.incrementAndGet() % 8 == 0) {
                    throw new ProviderServerException("mock", 500, "flaky", null);
                }
                return response;
            }

            @Override
            public Optional<BigDecimal> estimateCost(LlmRequest request) {
                return mock.estimateCost(request);
            }
        };
        try (Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxBudget("1.00").build())
                .provider("mock", flaky).build()) {

            List<Outcome> outcomes = callTogether(gateway, THREADS,
                    i -> GatewayCall.builder().agentId("agent-" + i).provider("mock").user("call " + i).build());

            List<LlmResponse> successes = outcomes.stream().map(Outcome::response).filter(r -> r != null).toList();
            long providerFailures = count(outcomes, ProviderException.class);
            long refusals = count(outcomes, BudgetExceededException.class);
            BigDecimal committed = (BigDecimal) gateway.getMetrics().get("total_cost");

            assertThat(outcomes).hasSize(THREADS);
            assertThat(successes.size() + providerFailures + refusals).isEqualTo(THREADS);
            // every refusal happened before the provider: the mock saw exactly the successes and the failures
            assertThat(mock.requestCount()).isEqualTo(successes.size() + (int) providerFailures);
            // each success costs at least 0.02, so at most 50 fit into $1.00, and refusals must have happened
            assertThat(refusals).isPositive();
            assertThat(committed).isEqualByComparingTo(successes.stream().map(LlmResponse::cost)
                    .reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(committed).isLessThanOrEqualTo(new BigDecimal("1.00").add(max.subtract(min)));
            // the mock's estimate (max) bounds its actual cost, so here the budget holds exactly
            assertThat(committed).isLessThanOrEqualTo(new BigDecimal("1.00"));
            assertThat(gateway.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0");
            assertThat(gateway.usage(LimitScope.global()).failedCalls()).isEqualTo(providerFailures + refusals);
        }
    }

    @Test
    void callersReleasedByALatchSeeConsistentMetrics() throws Exception { // scenario 19 (no lost updates)
        MockLlmClient mock = MockLlmClient.builder().costPerCall("0.01").tokens(3, 2).build();
        try (Gateway gateway = Gateway.builder().provider("mock", mock).build()) {
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<LlmResponse>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < THREADS; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        go.await(30, TimeUnit.SECONDS);
                        return gateway.call(GatewayCall.builder().agentId("a").provider("mock").user("call " + index).build());
                    }));
                }
                go.countDown();
                for (Future<LlmResponse> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(64L);
            assertThat(gateway.getMetrics().get("total_cost")).isEqualTo(new BigDecimal("0.64"));
            assertThat(gateway.getMetrics().get("total_tokens")).isEqualTo(320L);
            assertThat(gateway.getCallHistory(null, null)).hasSize(64);
        }
    }
}
