package dev.agentgateway.core;

import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.internal.AfterHooksStage;
import dev.agentgateway.core.internal.AttemptStage;
import dev.agentgateway.core.internal.BeforeHooksStage;
import dev.agentgateway.core.internal.CallIds;
import dev.agentgateway.core.internal.CallPipeline;
import dev.agentgateway.core.internal.ControlStage;
import dev.agentgateway.core.internal.Events;
import dev.agentgateway.core.internal.LoopCheckStage;
import dev.agentgateway.core.internal.OfferedToolsStage;
import dev.agentgateway.core.internal.ProviderStage;
import dev.agentgateway.core.internal.Refusals;
import dev.agentgateway.core.internal.ReserveStage;
import dev.agentgateway.core.internal.RunCheckpointer;
import dev.agentgateway.core.internal.SettleStage;
import dev.agentgateway.core.internal.StreamCalls;
import dev.agentgateway.core.internal.stream.GovernedStream;
import dev.agentgateway.core.internal.stream.LiveStreams;
import dev.agentgateway.core.internal.tools.ToolLimiter;
import dev.agentgateway.core.internal.tools.ToolLoop;
import dev.agentgateway.core.internal.tools.ToolTurnExecutor;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.provider.CostModel;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.tools.ToolAccessController;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parts of one {@link Gateway}, wired from the options of its builder: the registry, cost
 * model, limits, stores, the call pipeline and its stages in the order docs/architecture.md gives,
 * the stream calls and the tool loop. Wiring only; the gateway is the facade over them.
 */
final class GatewayParts {

    final ProviderRegistry providers;
    final CostModel costs;
    final GatewayControl control = new GatewayControl();
    final LimitEnforcer limits;
    final LoopDetector loopDetector;
    final ToolAccessController toolAccess;
    final CallHistoryStore history;
    final RunCheckpointer checkpointer;
    final CallPipeline pipeline;
    final ToolLoop toolLoop;
    final ToolLimiter toolLimiter;
    final Approvals approvals;
    final Duration approvalClaimTimeout;
    final StreamCalls streams;
    final LiveStreams liveStreams = new LiveStreams();
    final Executor asyncExecutor;
    final ExecutorService ownedExecutor;

    /** The tool-access controller is used as it is given (the gateway writes no grants into it). */
    GatewayParts(GatewayBuilderSupport builder) {
        this.providers = new ProviderRegistry(builder.factories, builder.providers);
        this.costs = new CostModel(builder.priceTable, builder.tokenCounter, builder.allowUnpricedModels);
        this.history = builder.history != null ? builder.history : new InMemoryCallHistoryStore(builder.historyCapacity);
        Events events = new Events(history, builder.listeners);
        this.limits = new LimitEnforcer(builder.effectiveLimits(),
                builder.ledger != null ? builder.ledger : new InMemoryBudgetLedger(builder.maxTrackedRuns), builder.clock,
                events::limitWarning, builder.limitActions);
        this.loopDetector = builder.loopDetection == null ? null : LoopDetector.windowed(builder.loopDetection, builder.maxTrackedRuns);
        this.toolAccess = builder.toolAccess;
        this.checkpointer = new RunCheckpointer(builder.checkpoints != null ? builder.checkpoints : new InMemoryCheckpointStore(),
                builder.checkpointEnabled, limits, builder.clock);
        CallIds callIds = new CallIds();
        Refusals refusals = new Refusals(limits, events, providers, callIds, builder.clock);
        SettleStage settle = new SettleStage(costs, limits, events);
        AttemptStage attempts = new AttemptStage(
                new ReserveStage(providers, costs, limits, events, refusals, callIds, builder.clock, builder.defaultMaxOutputTokens),
                new BeforeHooksStage(builder.beforeHooks, refusals), new ProviderStage(providers),
                settle, builder.observer, events, refusals);
        this.pipeline = new CallPipeline(new ControlStage(control, providers, refusals),
                new OfferedToolsStage(toolAccess, events, refusals), builder.callStrategy, attempts,
                new LoopCheckStage(loopDetector, limits, events, refusals), events, checkpointer,
                new AfterHooksStage(builder.afterHooks));
        this.streams = new StreamCalls(pipeline, builder.callStrategy, attempts, settle, limits, control, providers, refusals,
                events, new StreamCalls.Settings(builder.tokenCounter, builder.streamTimer, builder.streamTimeout,
                builder.streamRepetition, builder.clock), liveStreams);
        this.ownedExecutor = builder.toolExecutorService == null || builder.asyncExecutor == null
                ? Executors.newCachedThreadPool(daemonThreads()) : null;
        this.asyncExecutor = builder.asyncExecutor != null ? builder.asyncExecutor : ownedExecutor;
        ExecutorService toolPool = builder.toolExecutorService != null ? builder.toolExecutorService : ownedExecutor;
        Duration claimTimeout = builder.effectiveClaimTimeout();
        if (builder.approvals != null && claimTimeout.compareTo(builder.toolTimeout) <= 0) {
            throw new IllegalArgumentException("approvalClaimTimeout (" + claimTimeout
                    + ") must exceed toolTimeout (" + builder.toolTimeout + "): the claim is held while approved tools run");
        }
        this.approvals = builder.approvals;
        this.approvalClaimTimeout = claimTimeout;
        this.toolLimiter = toolLimiter(builder, limits);
        this.toolLoop = new ToolLoop(pipeline, checkpointer, new ToolTurnExecutor(toolAccess, toolPool, builder.toolTimeout,
                builder.clock, events::recordToolCall, builder.observer, toolLimiter), builder.observer, builder.approvals,
                builder.instanceId, claimTimeout, limits);
    }

    /** The per-tool limits; a tool with a cost per call needs a ledger that can hold a cost without a step. */
    private static ToolLimiter toolLimiter(GatewayBuilderSupport builder, LimitEnforcer limits) {
        ToolLimiter limiter = new ToolLimiter(builder.toolLimits, builder.maxToolResultSize, limits);
        String charged = limiter.firstCharged();
        if (charged != null && !limits.ledger().holdsCostWithoutStep()) {
            throw new IllegalStateException("Tool '" + charged + "' has a cost per call, but the budget ledger "
                    + limits.ledger().getClass().getSimpleName() + " cannot reserve a tool's cost (it holds one step per"
                    + " reservation): remove the tool's cost per call, or use a ledger that supports"
                    + " BudgetLedger.reserveCost (the in-memory ledger does)");
        }
        return limiter;
    }

    /** The kill switch, and every live stream cut at once. */
    void stopAll() {
        control.stopAll();
        liveStreams.cutAll(agent -> new GovernedStream.Cut(StreamEnd.STOPPED, new GatewayStoppedException(agent)));
    }

    void pauseAgent(String agentId) {
        control.pauseAgent(agentId);
        liveStreams.cutAgent(agentId, new GovernedStream.Cut(StreamEnd.PAUSED, new AgentPausedException(agentId)));
    }

    void completeRun(String workflowId) {
        limits.forgetRun(workflowId);
        if (loopDetector != null) {
            loopDetector.forget(workflowId, null);
        }
        checkpointer.store().delete(workflowId);
    }

    void reset() {
        limits.reset();
        if (loopDetector != null) {
            loopDetector.reset();
        }
        history.clear();
        checkpointer.store().clear();
        if (toolAccess != null) {
            toolAccess.reset();
        }
        toolLimiter.reset();
    }

    void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicLong counter = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, "agent-gateway-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
