package dev.agentgateway.core;

import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.checkpoint.ResumePoint;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
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
import dev.agentgateway.core.internal.ScopeStage;
import dev.agentgateway.core.internal.SettleStage;
import dev.agentgateway.core.internal.StreamCalls;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.approval.RunNotResumableException;
import dev.agentgateway.core.internal.tools.ToolLimiter;
import dev.agentgateway.core.internal.tools.ToolLoop;
import dev.agentgateway.core.internal.tools.ToolRun;
import dev.agentgateway.core.internal.tools.ToolTurnExecutor;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.ExecutionMetrics;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.provider.CostModel;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmProvider;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.stream.StreamSource;
import dev.agentgateway.core.internal.stream.GovernedStream;
import dev.agentgateway.core.internal.stream.LiveStreams;
import dev.agentgateway.core.internal.stream.ToolRunStream;
import dev.agentgateway.core.internal.tools.StreamedToolRun;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place every LLM call of an application goes through: a facade over the parts (the
 * {@linkplain #providers() providers}, the {@linkplain #control() control}, the
 * {@linkplain #limits() limits}, the {@linkplain #history() history}, the
 * {@linkplain #checkpoints() checkpoints}) and the call pipeline. A call is resolved to its scopes
 * (global, tenant, agent, workflow run), checked against the kill switch, paused agents and the
 * tool rules, then attempted through the {@code CallStrategy} (each attempt: reserve, before-call
 * hooks, provider, settle), checked for loops, recorded, checkpointed and handed to the
 * after-call hooks. A call that would break a limit is refused before the provider sees it.
 * docs/architecture.md draws the path.
 *
 * <p>One instance serves any number of threads.
 */
public class Gateway implements AutoCloseable {

    /** Default iteration limit of {@link #callWithTools}. */
    public static final int DEFAULT_MAX_ITERATIONS = 10;

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final ProviderRegistry providers;
    private final CostModel costs;
    private final GatewayControl control = new GatewayControl();
    private final LimitEnforcer limits;
    private final LoopDetector loopDetector;
    private final ToolAccessController toolAccess;
    private final CallHistoryStore history;
    private final RunCheckpointer checkpointer;
    private final CallPipeline pipeline;
    private final ToolLoop toolLoop;
    private final ToolLimiter toolLimiter;
    private final Approvals approvals;
    private final Duration approvalClaimTimeout;
    private final StreamCalls streams;
    private final LiveStreams liveStreams = new LiveStreams();
    private final Executor asyncExecutor;
    private final ExecutorService ownedExecutor;

    /** Wires the parts; the tool-access controller is used as it is given (the gateway writes no grants into it). */
    protected Gateway(Builder builder) {
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

    public static Builder builder() {
        return new Builder();
    }

    /** The per-tool limits; a tool with a cost per call needs a ledger that can hold a cost without a step. */
    private static ToolLimiter toolLimiter(Builder builder, LimitEnforcer limits) {
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

    // ---- the parts -----------------------------------------------------------------------------

    /** The clients by provider id, their factories, and the redactor of their keys. */
    public ProviderRegistry providers() {
        return providers;
    }

    /** The kill switch and paused agents. */
    public GatewayControl control() {
        return control;
    }

    /** The limits in force, usage per scope, the run clock. */
    public LimitEnforcer limits() {
        return limits;
    }

    public CallHistoryStore history() {
        return history;
    }

    public CheckpointStore checkpoints() {
        return checkpointer.store();
    }

    // ---- providers -----------------------------------------------------------------------------

    /**
     * The seed's {@code configure_provider}: creates the provider's client from an API key and
     * options with its factory; the option {@code type} names another factory to use under this id.
     *
     * @throws ProviderNotFoundException when no factory serves {@code provider} (its module is missing)
     */
    public Gateway configureProvider(String provider, String apiKey, Map<String, ?> options) {
        providers.configure(provider, apiKey, options);
        return this;
    }

    public Gateway configureProvider(String provider, String apiKey) {
        return configureProvider(provider, apiKey, Map.of());
    }

    public Gateway configureProvider(LlmProvider provider, String apiKey) {
        return configureProvider(provider.id(), apiKey, Map.of());
    }

    public Gateway configureProvider(LlmProvider provider, String apiKey, Map<String, ?> options) {
        return configureProvider(provider.id(), apiKey, options);
    }

    /** Registers any client under an id of your choosing. */
    public Gateway registerProvider(String providerId, LlmClient client) {
        providers.register(providerId, client);
        return this;
    }

    public Gateway registerProvider(LlmProvider provider, LlmClient client) {
        return registerProvider(provider.id(), client);
    }

    /** Adds a factory that {@link #configureProvider} can use. */
    public Gateway registerClientFactory(LlmClientFactory factory) {
        providers.registerFactory(factory);
        return this;
    }

    public Set<String> providerIds() {
        return providers.ids();
    }

    // ---- calls ---------------------------------------------------------------------------------

    /** The seed's {@code call}: one governed call. */
    public LlmResponse call(GatewayCall call) {
        return pipeline.execute(call, true, null, ExecutionObserver.Span.NOOP).response();
    }

    /**
     * Governs a call that {@code client} makes, rather than the client registered for the call's
     * provider: how frameworks with their own clients (a Spring AI {@code ChatClient}, say) put
     * their calls under the gateway's limits, history and metrics. The call's provider id names
     * the provider in records and metrics.
     */
    public LlmResponse call(GatewayCall call, LlmClient client) {
        return pipeline.execute(call, true, Objects.requireNonNull(client, "client"), ExecutionObserver.Span.NOOP).response();
    }

    /** A single-prompt call. */
    public LlmResponse call(String agentId, String provider, String model, String prompt) {
        return call(GatewayCall.builder().agentId(agentId).provider(provider).model(model).user(prompt).build());
    }

    public LlmResponse call(String agentId, String provider, String model, List<LlmMessage> messages) {
        return call(GatewayCall.builder().agentId(agentId).provider(provider).model(model).messages(messages).build());
    }

    /** {@link #call} on the gateway's executor; the caller's {@link GatewayContext} goes along. */
    public CompletableFuture<LlmResponse> callAsync(GatewayCall call) {
        GatewayContext context = GatewayContext.current();
        return CompletableFuture.supplyAsync(() -> context.call(() -> call(call)), asyncExecutor);
    }

    /**
     * The seed's {@code call_with_tools}: calls the model, runs the tools it asks for, sends the
     * results back, until it answers without tools or {@code maxIterations} provider calls were
     * made; then the last response is returned, marked {@link LlmResponse#stoppedByMaxIterations()}.
     *
     * <p>A tool that needs approval is asked of the synchronous {@code ApprovalHandler} when the
     * tool-access controller has one. Without one, and with {@link Builder#approvals durable
     * approvals}, a workflow id and checkpoints on, the run <b>pauses</b>: the turn's other tools run
     * and are checkpointed, the approval is stored, the run is checkpointed as awaiting approval and
     * {@link RunAwaitingApprovalException} returns to the caller (see {@link #resumeApproved}).
     * Otherwise it is denied.
     *
     * @throws ToolAccessDeniedException   when the model asks for a tool the agent may not use
     * @throws RunAwaitingApprovalException when the run paused for a person's approval
     */
    public LlmResponse callWithTools(GatewayCall call, ToolExecutor toolExecutor, int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, was " + maxIterations);
        }
        Objects.requireNonNull(toolExecutor, "toolExecutor");
        return toolLoop.run(ToolRun.start(ScopeStage.resolve(call), toolExecutor, maxIterations));
    }

    public LlmResponse callWithTools(GatewayCall call, ToolExecutor toolExecutor) {
        return callWithTools(call, toolExecutor, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * One governed call as a stream: its chunks as {@link StreamEvent.Output}s, then a
     * {@link StreamEvent.Completed} with the settled answer. Cold: each subscriber makes one call,
     * which runs the pipeline of {@link #call} — admitted, reserved and the before-call hooks run
     * before the provider is asked for a chunk; settled exactly once however the stream ends (its
     * usage, else the tokens counted of what was sent and received), then loop-checked, recorded,
     * checkpointed and handed to the after-call hooks. The stream is cut off, with a typed error
     * after the last event, by the time limit, the stream time-out, an operator's stop or pause,
     * output reaching the cap of a client that cannot bound it, and repetition. The call's scope
     * (agent, run, tenant) is resolved now, on this thread.
     */
    public Flow.Publisher<StreamEvent> stream(GatewayCall call) {
        return streams.events(ScopeStage.resolve(call), 1, true, ExecutionObserver.Span.NOOP);
    }

    /**
     * {@link #callWithTools} as one stream: each turn's chunks as they arrive, a
     * {@link StreamEvent.ToolStarted} and {@link StreamEvent.ToolFinished} for each tool run between
     * turns (on the tool executor, under the same access rules and checkpoints), and last one
     * {@link StreamEvent.Completed} with the final answer and the run's totals. Every turn is a
     * governed stream as {@link #stream(GatewayCall)} makes; a cancel ends the turn that streams and
     * starts no other. Each subscriber runs the tool loop once.
     */
    public Flow.Publisher<StreamEvent> streamWithTools(GatewayCall call, ToolExecutor toolExecutor, int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, was " + maxIterations);
        }
        Objects.requireNonNull(toolExecutor, "toolExecutor");
        GatewayCall scoped = ScopeStage.resolve(call);
        return subscriber -> new ToolRunStream(new StreamedToolRun(streams, toolLoop, checkpointer,
                ToolRun.start(scoped, toolExecutor, maxIterations)), asyncExecutor).subscribe(subscriber);
    }

    public Flow.Publisher<StreamEvent> streamWithTools(GatewayCall call, ToolExecutor toolExecutor) {
        return streamWithTools(call, toolExecutor, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Governs a stream a framework makes with its own client (see {@link StreamSource}) as
     * {@link #stream(GatewayCall)} governs a provider's: its elements are handed on unchanged.
     */
    public <T> Flow.Publisher<T> stream(GatewayCall call, StreamSource<T> source) {
        return streams.elements(ScopeStage.resolve(call), Objects.requireNonNull(source, "source"));
    }

    /**
     * Continues the tool-calling run of {@code workflowId} from its latest checkpoint: tool calls
     * that finished before the interruption are not run again.
     *
     * @throws CheckpointException when there is no checkpoint, or the run already finished
     */
    public LlmResponse resume(String workflowId, ToolExecutor toolExecutor) {
        return toolLoop.resume(workflowId, Objects.requireNonNull(toolExecutor, "toolExecutor"));
    }

    /**
     * Continues a run that paused for approval ({@link RunAwaitingApprovalException}) once every
     * approval of it is decided: the run is claimed for this instance first, so of several
     * instances (or threads) trying, exactly one resumes it. Each approved tool runs once, with the
     * approver's edited arguments where given; a rejected or expired one is not run and the model
     * reads the rejection as its result. The run may pause again at a later turn.
     *
     * @throws RunNotResumableException when an approval of the run is still pending, or another instance is resuming it
     * @throws CheckpointException      when there is no checkpoint of the run
     * @throws IllegalStateException    when the gateway has no durable approvals ({@link Builder#approvals})
     */
    public LlmResponse resumeApproved(String workflowId, ToolExecutor toolExecutor) {
        return toolLoop.resumeApproved(Objects.requireNonNull(workflowId, "workflowId"),
                Objects.requireNonNull(toolExecutor, "toolExecutor"));
    }

    /** How long a claim on a paused run stands before another instance may take it over. */
    public Duration approvalClaimTimeout() {
        return approvalClaimTimeout;
    }

    /** The durable approvals runs pause for, or {@code null} when none are configured. */
    public Approvals approvals() {
        return approvals;
    }

    // ---- metrics, history, checkpoints (shortcuts to the parts) ----------------------------------

    /** The seed's {@code get_metrics()}: see {@link LimitEnforcer#metricsMap()}. */
    public Map<String, Object> getMetrics() {
        return limits.metricsMap();
    }

    /** The seed's {@code metrics} property: a consistent snapshot of the global figures. */
    public ExecutionMetrics metrics() {
        return limits.metrics();
    }

    /** Usage of one scope: an agent, a workflow run, a tenant. */
    public ScopeUsage usage(LimitScope scope) {
        return limits.usage(scope);
    }

    public List<ScopeUsage> usages(LimitScope.Type type) {
        return limits.usages(type);
    }

    /** The seed's {@code get_call_history}: oldest first, the last {@code limit}; nulls do not filter. */
    public List<CallRecord> getCallHistory(String agentId, Integer limit) {
        return history.find(HistoryQuery.byAgent(agentId, limit));
    }

    public List<CallRecord> getCallHistory(HistoryQuery query) {
        return history.find(query);
    }

    public List<ToolCallRecord> getToolCallHistory(String agentId, Integer limit) {
        return history.findToolCalls(HistoryQuery.byAgent(agentId, limit));
    }

    public List<ToolCallRecord> getToolCallHistory(HistoryQuery query) {
        return history.findToolCalls(query);
    }

    /** The checkpoint of {@code step}, or the latest when {@code step} is null; null when there is none. */
    public Checkpoint getCheckpoint(String workflowId, Integer step) {
        return (step == null ? checkpoints().latest(workflowId) : checkpoints().find(workflowId, step)).orElse(null);
    }

    public List<Checkpoint> getCheckpoints(String workflowId) {
        return checkpoints().list(workflowId);
    }

    /** Where {@link #resume} would continue, or null without a checkpoint. */
    public ResumePoint getResumePoint(String workflowId) {
        return checkpoints().latest(workflowId).map(ResumePoint::of).orElse(null);
    }

    // ---- control (shortcuts to the parts) ----------------------------------------------------------

    public ExecutionLimits getLimits() {
        return limits.limits();
    }

    /** Replaces the limits; the next call is checked against the new ones. */
    public void updateLimits(ExecutionLimits newLimits) {
        limits.update(newLimits);
    }

    public PriceTable getPriceTable() {
        return costs.priceTable();
    }

    public void updatePriceTable(PriceTable table) {
        costs.priceTable(table);
    }

    public ToolAccessController toolAccess() {
        return toolAccess;
    }

    public boolean isCheckpointEnabled() {
        return checkpointer.enabled();
    }

    /** Loops detected since the last reset. */
    public long loopsDetected() {
        return loopDetector == null ? 0 : loopDetector.detectedCount();
    }

    /** The kill switch: every new call of every agent is refused with {@link GatewayStoppedException}. */
    public void stopAll() {
        control.stopAll();
        liveStreams.cutAll(agent -> new GovernedStream.Cut(StreamEnd.STOPPED, new GatewayStoppedException(agent)));
    }

    /** Lifts {@link #stopAll()}. */
    public void resumeAll() {
        control.resumeAll();
    }

    public boolean isStopped() {
        return control.isStopped();
    }

    /** Refuses new calls of one agent with {@link AgentPausedException} until {@link #resumeAgent}. */
    public void pauseAgent(String agentId) {
        control.pauseAgent(agentId);
        liveStreams.cutAgent(agentId, new GovernedStream.Cut(StreamEnd.PAUSED, new AgentPausedException(agentId)));
    }

    public void resumeAgent(String agentId) {
        control.resumeAgent(agentId);
    }

    public Set<String> pausedAgents() {
        return control.pausedAgents();
    }

    /** Starts the time limit's clock now (otherwise it starts at the first call). */
    public void start() {
        limits.start();
    }

    /** Forgets a finished workflow run: its usage, loop state and checkpoints. */
    public void completeRun(String workflowId) {
        limits.forgetRun(workflowId);
        if (loopDetector != null) {
            loopDetector.forget(workflowId, null);
        }
        checkpoints().delete(workflowId);
    }

    /** The seed's {@code reset()}: metrics, reservations, warnings, loop state, history, checkpoints and the clock. */
    public void reset() {
        limits.reset();
        if (loopDetector != null) {
            loopDetector.reset();
        }
        history.clear();
        checkpoints().clear();
        if (toolAccess != null) {
            toolAccess.reset();
        }
        toolLimiter.reset();
        log.info("Gateway reset");
    }

    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicLong counter = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, "agent-gateway-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builds a {@link Gateway}; every option has a sensible default (see the setters). */
    public static final class Builder extends GatewayBuilderSupport {

        private Builder() {
        }

        public Gateway build() {
            return new Gateway(this);
        }
    }
}
