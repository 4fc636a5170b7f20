package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every exit path of a call settles its reservation exactly once: answers commit, and exceptions
 * and {@link Error}s from the provider or the hooks give the reservation back, whichever thread
 * the call runs on. An {@code Error} reaches the caller as it was thrown, and is recorded.
 */
class CallExitTest {

    private static final BigDecimal COST = new BigDecimal("0.01");
    private static final ExecutionLimits ROOMY = ExecutionLimits.builder().maxSteps(100_000).maxBudget("1000").build();

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.limits(ROOMY).build();
        gateways.add(gateway);
        return gateway;
    }

    /** Reserves {@link #COST} per call, answers at that cost, and throws what {@code failure} gives for a prompt. */
    private static LlmClient client(java.util.function.Function<String, Throwable> failure) {
        return new LlmClient() {
            @Override
            public LlmResponse complete(LlmRequest request) {
                Throwable thrown = failure.apply(request.lastUserMessage());
                if (thrown instanceof Error error) {
                    throw error;
                }
                if (thrown instanceof RuntimeException exception) {
                    throw exception;
                }
                return new LlmResponse("ok " + request.lastUserMessage(), List.of(), 10, 5, COST, request.model(),
                        request.provider(), 0, "stop");
            }

            @Override
            public Optional<BigDecimal> estimateCost(LlmRequest request) {
                return Optional.of(COST);
            }
        };
    }

    private static GatewayCall call(int i) {
        return GatewayCall.builder().agentId("agent-" + (i % 3)).provider("flaky").model("m").user(String.valueOf(i)).build();
    }

    private static void assertNothingReserved(Gateway gateway, long committedSteps) {
        ScopeUsage global = gateway.usage(LimitScope.global());
        assertThat(global.reservedSteps()).isZero();
        assertThat(global.reservedCost()).isEqualByComparingTo("0");
        assertThat(global.committedSteps()).isEqualTo(committedSteps);
        assertThat(global.committedCost()).isEqualByComparingTo(COST.multiply(BigDecimal.valueOf(committedSteps)));
    }

    @Test
    void aProviderThrowingStackOverflowErrorGivesItsReservationBack() {
        StackOverflowError overflow = new StackOverflowError();
        Gateway gateway = gateway(Gateway.builder()
                .provider("flaky", client(prompt -> Integer.parseInt(prompt) % 4 == 0 ? overflow : null)));

        int errors = 0;
        for (int i = 0; i < 40; i++) {
            GatewayCall call = call(i);
            Throwable thrown = catchThrowable(() -> gateway.call(call));
            if (thrown != null) {
                assertThat(thrown).isSameAs(overflow);
                errors++;
            }
        }

        assertThat(errors).isEqualTo(10);
        assertNothingReserved(gateway, 30);
        assertThat(gateway.usage(LimitScope.global()).failedCalls()).isEqualTo(10);
    }

    @Test
    void anErrorFromTheProviderIsRecordedAsAFailedCallOfItsType() {
        Gateway gateway = gateway(Gateway.builder().provider("flaky", client(prompt -> new AssertionError("invariant broken"))));

        assertThatThrownBy(() -> gateway.call(call(0))).isExactlyInstanceOf(AssertionError.class).hasMessage("invariant broken");

        CallRecord record = gateway.getCallHistory(null, null).get(0);
        assertThat(record.success()).isFalse();
        assertThat(record.errorType()).isEqualTo("AssertionError");
        assertThat(record.error()).isEqualTo("invariant broken");
        assertThat(record.refused()).isFalse();
    }

    @Test
    void aBeforeHookThrowingAnAssertionErrorGivesTheReservationBackAndNeverReachesTheProvider() {
        AtomicInteger providerCalls = new AtomicInteger();
        AssertionError broken = new AssertionError("hook bug");
        Gateway gateway = gateway(Gateway.builder()
                .provider("flaky", client(prompt -> {
                    providerCalls.incrementAndGet();
                    return null;
                }))
                .onBeforeCall(context -> {
                    if (context.request().lastUserMessage().equals("0")) {
                        throw broken;
                    }
                }));

        assertThatThrownBy(() -> gateway.call(call(0))).isSameAs(broken);
        gateway.call(call(1));

        assertThat(providerCalls).hasValue(1);
        assertNothingReserved(gateway, 1);
        assertThat(gateway.getCallHistory(null, null)).first()
                .satisfies(record -> assertThat(record.errorType()).isEqualTo("AssertionError"));
    }

    @Test
    void anAfterHookThrowingAnErrorLeavesTheCallCommittedAndNothingReserved() {
        Gateway gateway = gateway(Gateway.builder().provider("flaky", client(prompt -> null))
                .onAfterCall((context, response) -> {
                    throw new StackOverflowError("after");
                }));

        assertThatThrownBy(() -> gateway.call(call(0))).isInstanceOf(StackOverflowError.class);

        assertNothingReserved(gateway, 1);
    }

    @Test
    void anErrorInsideCallAsyncFailsTheFutureWithThatErrorAndGivesTheReservationBack() {
        StackOverflowError overflow = new StackOverflowError();
        Gateway gateway = gateway(Gateway.builder().provider("flaky", client(prompt -> overflow)));

        CompletableFuture<LlmResponse> future = gateway.callAsync(call(0));

        assertThatThrownBy(future::join).hasCauseReference(overflow);
        assertNothingReserved(gateway, 0);
    }

    @Test
    void aToolThrowingAnErrorIsRecordedAndTheRunLeavesNothingReserved() {
        ToolSpec explode = ToolSpec.of("explode", "throws", Map.of("type", "object"));
        ScriptedLlmClient scripted = ScriptedLlmClient.sequence(ScriptedTurn.toolCall("explode", "{}"), ScriptedTurn.text("done"));
        Gateway gateway = gateway(Gateway.builder().provider("scripted", scripted));
        StackOverflowError overflow = new StackOverflowError("deep");

        assertThatThrownBy(() -> gateway.callWithTools(GatewayCall.builder().agentId("a").provider("scripted").model("m")
                .user("go").tools(List.of(explode)).build(), (name, arguments) -> {
            throw overflow;
        })).isSameAs(overflow);

        assertThat(gateway.usage(LimitScope.global()).reservedSteps()).isZero();
        List<ToolCallRecord> tools = gateway.getToolCallHistory(null, null);
        assertThat(tools).singleElement().satisfies(tool -> {
            assertThat(tool.outcome()).isEqualTo(ToolCallOutcome.ERROR);
            assertThat(tool.result()).contains("StackOverflowError");
        });
    }

    /**
     * An adversarial mix on many threads: providers that throw Errors and exceptions, before hooks
     * that throw Errors, after hooks that throw Errors. The ledger ends at exactly the committed
     * totals of the calls that the provider answered.
     */
    @Test
    void errorsFromProvidersAndHooksOnManyThreadsLeaveTheLedgerAtExactlyTheCommittedTotals() throws Exception {
        int calls = 2_000;
        Gateway gateway = gateway(Gateway.builder()
                .provider("flaky", client(prompt -> switch (Integer.parseInt(prompt) % 5) {
                    case 1 -> new StackOverflowError();
                    case 4 -> new IllegalStateException("provider down");
                    default -> null;
                }))
                .onBeforeCall(context -> {
                    if (Integer.parseInt(context.request().lastUserMessage()) % 5 == 2) {
                        throw new AssertionError("before");
                    }
                })
                .onAfterCall((context, response) -> {
                    if (Integer.parseInt(context.request().lastUserMessage()) % 5 == 3) {
                        throw new OutOfMemoryError("after (simulated)");
                    }
                }));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try {
                        gateway.call(call(n));
                    } catch (RuntimeException | Error expected) {
                        // the failure modes under test
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long answered = calls / 5 * 2; // remainders 0 and 3: the provider answered (3's after hook failed later)
        assertNothingReserved(gateway, answered);
        assertThat(gateway.usage(LimitScope.global()).failedCalls()).isEqualTo(calls / 5 * 3);
        assertThat(gateway.getCallHistory(null, null)).hasSize(calls);
    }
}
