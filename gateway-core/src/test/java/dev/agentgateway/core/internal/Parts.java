package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.CostModel;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.testsupport.MutableClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parts a stage works with, real and in memory, for testing one stage at a time. */
final class Parts {

    final MutableClock clock = MutableClock.create();
    final InMemoryCallHistoryStore history = new InMemoryCallHistoryStore();
    final List<String> heard = new ArrayList<>();
    final Events events;
    final LimitEnforcer limits;
    final ProviderRegistry providers = new ProviderRegistry(List.of(), Map.of());
    final CostModel costs = new CostModel(PriceTable.defaults(), TokenCounter.standard(), false);
    final CallIds callIds = new CallIds();
    final Refusals refusals;

    Parts() {
        this(ExecutionLimits.none());
    }

    Parts(ExecutionLimits executionLimits) {
        GatewayListener listener = new GatewayListener() {
            @Override
            public void onCallRecorded(CallRecord record) {
                heard.add("recorded:" + (record.refused() ? record.refusedBy() : record.success() ? "success" : "failure"));
            }

            @Override
            public void onReservationOverrun(dev.agentgateway.core.limits.ReservationOverrun overrun) {
                heard.add("overrun:" + overrun.callId());
            }

            @Override
            public void onToolDenied(dev.agentgateway.core.tools.ToolAccessDeniedException denial) {
                heard.add("tool-denied:" + denial.getMessage());
            }

            @Override
            public void onLoopDetected(dev.agentgateway.core.loop.LoopDetectedException loop) {
                heard.add("loop");
            }
        };
        events = new Events(history, List.of(listener));
        limits = new LimitEnforcer(executionLimits, new InMemoryBudgetLedger(), clock, events::limitWarning);
        refusals = new Refusals(limits, events, providers, callIds, clock);
    }

    ReserveStage reserveStage() {
        return new ReserveStage(providers, costs, limits, events, refusals, callIds, clock, 100);
    }

    /** A call of agent {@code a} in run {@code run-1}, to provider {@code p}, model {@code gpt-4o}. */
    static GatewayCall call() {
        return GatewayCall.builder().agentId("a").workflowId("run-1").provider("p").model("gpt-4o").user("hello").build();
    }

    PreparedCall prepared(LlmClient client) {
        GatewayCall call = call();
        return reserveStage().prepare(call, new CallTarget("a", "p", "gpt-4o", 1), client, ExecutionObserver.Span.NOOP);
    }

    List<CallRecord> records() {
        return history.find(HistoryQuery.byAgent(null, null));
    }

    ScopeUsage global() {
        return limits.usage(LimitScope.global());
    }
}
