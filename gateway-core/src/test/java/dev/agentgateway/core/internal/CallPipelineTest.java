package dev.agentgateway.core.internal;

import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayControl;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.CostModel;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.testsupport.MutableClock;
import dev.agentgateway.core.testsupport.TestClients;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stages of a call run in the order docs/architecture.md gives. */
class CallPipelineTest {

    private final List<String> order = new ArrayList<>();
    private final MutableClock clock = MutableClock.create();

    private CallPipeline pipeline(CallStrategy strategy) {
        CallHistoryStore history = new RecordingHistory();
        Events events = new Events(history, List.of(new GatewayListener() {
            @Override
            public void onCallRecorded(CallRecord record) {
                order.add("listener:" + (record.success() ? "success" : "failure"));
            }
        }));
        LimitEnforcer limits = new LimitEnforcer(ExecutionLimits.none(), new InMemoryBudgetLedger(), clock, events::limitWarning);
        ProviderRegistry providers = new ProviderRegistry(List.of(), Map.of("p", TestClients.echo("0.1")));
        providers.register("backup", request -> {
            order.add("provider:backup");
            return LlmResponse.text("from backup", 1, 1).withCost(new BigDecimal("0.1"));
        });
        providers.register("broken", request -> {
            throw new ProviderServerException("broken", 500, "down", null);
        });
        providers.register("p", request -> {
            order.add("provider:p");
            return LlmResponse.text("answer", 1, 1).withCost(new BigDecimal("0.1"));
        });
        CostModel costs = new CostModel(PriceTable.defaults(), TokenCounter.standard(), false);
        CallIds ids = new CallIds();
        Refusals refusals = new Refusals(limits, events, providers, ids, clock);
        BeforeCallHook before = context -> order.add("before-hook");
        AttemptStage attempts = new AttemptStage(new ReserveStage(providers, costs, limits, events, refusals, ids, clock, 100),
                new BeforeHooksStage(List.of(before), refusals), new ProviderStage(providers),
                new SettleStage(costs, limits, events), ExecutionObserver.NOOP, events, refusals);
        return new CallPipeline(new ControlStage(new GatewayControl(), providers, refusals),
                new OfferedToolsStage(null, events, refusals), strategy, attempts,
                new LoopCheckStage(new RecordingLoopDetector(), limits, events, refusals), events,
                new RunCheckpointer(new RecordingCheckpoints(), true, limits, clock),
                new AfterHooksStage(List.of((context, response) -> order.add("after-hook"))));
    }

    private static GatewayCall call() {
        return GatewayCall.builder().agentId("a").workflowId("run-1").provider("p").model("m").user("hi").build();
    }

    @Test
    void aCallRunsItsStagesInTheDocumentedOrder() {
        CallRecord success = pipeline(CallStrategy.direct()).execute(call(), true, null, ExecutionObserver.Span.NOOP);

        assertThat(success.response().content()).isEqualTo("answer");
        assertThat(order).containsExactly("before-hook", "provider:p", "loop-check", "history:success", "listener:success",
                "checkpoint", "after-hook");
    }

    @Test
    void eachAttemptOfTheStrategyIsReservedHookedAndRecordedBeforeTheNext() {
        CallStrategy fallback = new CallStrategy() {
            @Override
            public <T> T execute(CallTarget primary, Attempt<T> attempt) {
                try {
                    return attempt.run(new CallTarget(primary.agentId(), "down", null, 1));
                } catch (RuntimeException first) {
                    order.add("strategy:fallback");
                    return attempt.run(primary.fallback("backup", "b"));
                }
            }
        };

        pipeline(fallback).execute(call(), false, null, ExecutionObserver.Span.NOOP);

        assertThat(order).containsExactly("history:provider:down", "listener:failure", "strategy:fallback", "before-hook",
                "provider:backup", "loop-check", "history:success", "listener:success", "after-hook");
    }

    @Test
    void aStrategyThatReturnsWithoutASuccessfulAttemptIsAnError() {
        CallStrategy broken = new CallStrategy() {
            @Override
            public <T> T execute(CallTarget primary, Attempt<T> attempt) {
                return null;
            }
        };

        assertThatThrownBy(() -> pipeline(broken).execute(call(), true, null, ExecutionObserver.Span.NOOP))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("returned without a successful attempt");
    }

    @Test
    void aProviderFailureIsRecordedAndEndsTheCallBeforeTheLaterStages() {
        GatewayCall failing = call().toBuilder().provider("broken").build();

        assertThatThrownBy(() -> pipeline(CallStrategy.direct()).execute(failing, true, null, ExecutionObserver.Span.NOOP))
                .isInstanceOf(ProviderServerException.class);
        assertThat(order).containsExactly("before-hook", "history:failure", "listener:failure");
    }

    private final class RecordingHistory extends ForwardingHistory {
        @Override
        public void append(CallRecord record) {
            order.add("history:" + (record.success() ? "success" : record.refused() ? record.refusedBy() : "failure"));
            super.append(record);
        }
    }

    private static class ForwardingHistory implements CallHistoryStore {
        private final InMemoryCallHistoryStore delegate = new InMemoryCallHistoryStore();

        @Override
        public void append(CallRecord record) {
            delegate.append(record);
        }

        @Override
        public void appendToolCall(ToolCallRecord record) {
            delegate.appendToolCall(record);
        }

        @Override
        public List<CallRecord> find(HistoryQuery query) {
            return delegate.find(query);
        }

        @Override
        public List<ToolCallRecord> findToolCalls(HistoryQuery query) {
            return delegate.findToolCalls(query);
        }

        @Override
        public void clear() {
            delegate.clear();
        }
    }

    private final class RecordingLoopDetector implements LoopDetector {
        @Override
        public void record(String workflowId, String agentId, String output, Integer stateHash, List<ToolCall> toolCalls) {
            order.add("loop-check");
        }

        @Override
        public void forget(String workflowId, String agentId) {
        }

        @Override
        public void reset() {
        }

        @Override
        public long detectedCount() {
            return 0;
        }
    }

    private final class RecordingCheckpoints implements CheckpointStore {
        @Override
        public void save(Checkpoint checkpoint) {
            order.add("checkpoint");
        }

        @Override
        public Optional<Checkpoint> find(String workflowId, int step) {
            return Optional.empty();
        }

        @Override
        public Optional<Checkpoint> latest(String workflowId) {
            return Optional.empty();
        }

        @Override
        public List<Checkpoint> list(String workflowId) {
            return List.of();
        }

        @Override
        public void delete(String workflowId) {
        }

        @Override
        public void clear() {
        }
    }
}
