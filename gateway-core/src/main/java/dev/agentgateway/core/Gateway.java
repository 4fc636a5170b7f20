package dev.agentgateway.core;

import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.checkpoint.ResumePoint;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.ExecutionMetrics;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.LimitWarningListener;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ReservationOverrun;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.limits.internal.LimitWarnings;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.loop.internal.WindowedLoopDetector;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmProvider;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ModelPrice;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.provider.UnpricedModelException;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.secrets.SecretRedactor;
import dev.agentgateway.core.state.SharedState;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDecision;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.internal.ToolTurnExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one place every LLM call of an application goes through. A call is resolved to its scopes
 * (global, agent, workflow run, tenant), checked against the time limit, given a reservation of
 * one step and its estimated cost on every scope, checked for tool access and by the before-call
 * hooks, sent to the provider, settled to its actual cost, checked for loops, checkpointed and
 * recorded. A call that would break a limit is refused before the provider sees it.
 *
 * <p>One instance serves any number of threads.
 */
public class Gateway implements AutoCloseable {

    /** Default iteration limit of {@link #callWithTools}. */
    public static final int DEFAULT_MAX_ITERATIONS = 10;

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private volatile ExecutionLimits limits;
    private final LoopDetector loopDetector;
    private final ToolAccessController toolAccess;
    private final boolean checkpointEnabled;
    private final List<BeforeCallHook> beforeHooks;
    private final List<AfterCallHook> afterHooks;
    private final CallHistoryStore history;
    private final CheckpointStore checkpoints;
    private final BudgetLedger ledger;
    private volatile PriceTable priceTable;
    private final Clock clock;
    private final List<GatewayListener> listeners;
    private final LimitWarnings warnings;
    private final ToolTurnExecutor toolTurns;
    private final Executor asyncExecutor;
    private final ExecutorService ownedExecutor;
    private final int defaultMaxOutputTokens;
    private final TokenCounter tokenCounter;
    private final boolean allowUnpricedModels;
    private final CallStrategy callStrategy;
    private final ExecutionObserver observer;
    private volatile boolean stopped;
    private final Set<String> pausedAgents = ConcurrentHashMap.newKeySet();
    private final Map<String, LlmClient> providers = new ConcurrentHashMap<>();
    private final Map<String, LlmClientFactory> factories = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> startedAt = new AtomicReference<>();
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong callSequence = new AtomicLong();
    private final Set<String> unpricedModels = ConcurrentHashMap.newKeySet();
    /** Redacts the API keys given to configureProvider (and key-shaped text) from any error text the gateway writes or throws. */
    private final AtomicReference<SecretRedactor> redactor = new AtomicReference<>(SecretRedactor.none());

    protected Gateway(Builder builder) {
        this.limits = builder.limits;
        this.loopDetector = builder.loopDetection == null ? null
                : new WindowedLoopDetector(builder.loopDetection, builder.maxTrackedRuns);
        this.toolAccess = builder.toolAccess;
        this.checkpointEnabled = builder.checkpointEnabled;
        this.beforeHooks = List.copyOf(builder.beforeHooks);
        this.afterHooks = List.copyOf(builder.afterHooks);
        this.history = builder.history != null ? builder.history : new InMemoryCallHistoryStore(builder.historyCapacity);
        this.checkpoints = builder.checkpoints != null ? builder.checkpoints : new InMemoryCheckpointStore();
        this.ledger = builder.ledger != null ? builder.ledger : new InMemoryBudgetLedger(builder.maxTrackedRuns);
        this.priceTable = builder.priceTable;
        this.clock = builder.clock;
        this.listeners = List.copyOf(builder.listeners);
        this.warnings = new LimitWarnings(this::fireWarning);
        this.ownedExecutor = builder.toolExecutorService == null || builder.asyncExecutor == null
                ? Executors.newCachedThreadPool(daemonThreads()) : null;
        ExecutorService toolPool = builder.toolExecutorService != null ? builder.toolExecutorService : ownedExecutor;
        this.asyncExecutor = builder.asyncExecutor != null ? builder.asyncExecutor : ownedExecutor;
        this.toolTurns = new ToolTurnExecutor(toolAccess, toolPool, builder.toolTimeout, clock, this::recordToolCall,
                builder.observer);
        this.defaultMaxOutputTokens = builder.defaultMaxOutputTokens;
        this.tokenCounter = builder.tokenCounter;
        this.allowUnpricedModels = builder.allowUnpricedModels;
        this.callStrategy = builder.callStrategy;
        this.observer = builder.observer;
        if (toolAccess != null) {
            toolAccess.clock(clock);
        }
        ServiceLoader.load(LlmClientFactory.class, Gateway.class.getClassLoader())
                .forEach(factory -> factories.put(factory.providerId(), factory));
        builder.factories.forEach(factory -> factories.put(factory.providerId(), factory));
        providers.putAll(builder.providers);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- providers -----------------------------------------------------------------------------

    /**
     * The seed's {@code configure_provider}: creates the provider's client from an API key and
     * options with the factory registered for it. The option {@code type} names another factory
     * to use under this id (an {@code "openai-compatible"} server registered as {@code "vllm"}).
     *
     * @throws ProviderNotFoundException when no factory serves {@code provider} (its module is missing)
     */
    public Gateway configureProvider(String provider, String apiKey, Map<String, ?> options) {
        String id = normalizeProviderId(provider);
        Map<String, ?> settings = options == null ? Map.of() : options;
        // "type" lets any id use a known client, e.g. a vLLM server as an "openai-compatible" provider
        String factoryId = settings.get("type") == null ? id : normalizeProviderId(String.valueOf(settings.get("type")));
        LlmClientFactory factory = factories.get(factoryId);
        if (factory == null) {
            throw ProviderNotFoundException.noFactory(factoryId);
        }
        redactor.updateAndGet(current -> current.with(apiKey));
        providers.put(id, factory.create(apiKey, settings));
        log.info("Configured LLM provider '{}'", id);
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
        providers.put(normalizeProviderId(providerId), Objects.requireNonNull(client, "client"));
        return this;
    }

    public Gateway registerProvider(LlmProvider provider, LlmClient client) {
        return registerProvider(provider.id(), client);
    }

    /** Adds a factory that {@link #configureProvider} can use. */
    public Gateway registerClientFactory(LlmClientFactory factory) {
        factories.put(factory.providerId(), factory);
        return this;
    }

    public Set<String> providerIds() {
        return Collections.unmodifiableSet(providers.keySet());
    }

    // ---- calls ---------------------------------------------------------------------------------

    /** The seed's {@code call}: one governed call. */
    public LlmResponse call(GatewayCall call) {
        return execute(call, true, null, ExecutionObserver.Span.NOOP).response();
    }

    /**
     * Governs a call that {@code client} makes, rather than the client registered for the call's
     * provider: how frameworks with their own clients (a Spring AI {@code ChatClient}, say) put
     * their calls under the gateway's limits, history and metrics. The call's provider id names
     * the provider in records and metrics.
     */
    public LlmResponse call(GatewayCall call, LlmClient client) {
        return execute(call, true, Objects.requireNonNull(client, "client"), ExecutionObserver.Span.NOOP).response();
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
     * @throws ToolAccessDeniedException when the model asks for a tool the agent may not use
     */
    public LlmResponse callWithTools(GatewayCall call, ToolExecutor toolExecutor, int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, was " + maxIterations);
        }
        Objects.requireNonNull(toolExecutor, "toolExecutor");
        GatewayCall scoped = withContext(call);
        ResumableRun run = new ResumableRun(scoped.agentId(), scoped.provider(), scoped.model(), scoped.tools(),
                scoped.temperature(), scoped.maxTokens(), scoped.tenant(), maxIterations, 0);
        return runToolLoop(scoped, run, new ArrayList<>(scoped.messages()), toolExecutor, null);
    }

    public LlmResponse callWithTools(GatewayCall call, ToolExecutor toolExecutor) {
        return callWithTools(call, toolExecutor, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Continues the tool-calling run of {@code workflowId} from its latest checkpoint: tool calls
     * that finished before the interruption are not run again.
     *
     * @throws CheckpointException when there is no checkpoint, or the run already finished
     */
    public LlmResponse resume(String workflowId, ToolExecutor toolExecutor) {
        Objects.requireNonNull(toolExecutor, "toolExecutor");
        Checkpoint checkpoint = checkpoints.latest(workflowId)
                .orElseThrow(() -> new CheckpointException("No checkpoint to resume workflow '" + workflowId + "' from"));
        if (!checkpoint.resumable()) {
            throw new CheckpointException("Workflow '" + workflowId + "' cannot be resumed: "
                    + (checkpoint.finished() ? "it already finished" : "its checkpoint is not from a tool-calling run"));
        }
        ResumableRun run = checkpoint.run();
        GatewayCall call = GatewayCall.builder().agentId(run.agentId()).provider(run.provider()).model(run.model())
                .messages(checkpoint.messages()).tools(run.tools()).temperature(run.temperature())
                .maxTokens(run.maxTokens()).tenant(run.tenant()).workflowId(workflowId)
                // a run without state is checkpointed with an empty map: resume it without state, as it ran
                .state(checkpoint.state().isEmpty() ? null : checkpoint.state()).build();
        log.info("Resuming workflow '{}' at step {} (iteration {} of {})", workflowId, checkpoint.step(), run.iteration(),
                run.maxIterations());
        return runToolLoop(call, run, new ArrayList<>(checkpoint.messages()), toolExecutor, checkpoint);
    }

    // ---- metrics, history, checkpoints ----------------------------------------------------------

    /**
     * The seed's {@code get_metrics()}: exactly {@code total_cost, total_steps, total_tokens,
     * input_tokens, output_tokens, elapsed_seconds, remaining{budget,steps,time}, call_count}.
     */
    public Map<String, Object> getMetrics() {
        ExecutionMetrics metrics = metrics();
        ExecutionLimits current = limits;
        Map<String, Object> remaining = new LinkedHashMap<>();
        remaining.put("budget", current.maxBudget() == null ? null : nonNegative(current.maxBudget().subtract(metrics.totalCost())));
        remaining.put("steps", current.maxSteps() == null ? null : Math.max(0L, current.maxSteps() - metrics.totalSteps()));
        remaining.put("time", current.maxTime() == null ? null : Math.max(0.0, current.maxTimeSeconds() - metrics.elapsedSeconds()));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("total_cost", metrics.totalCost());
        map.put("total_steps", metrics.totalSteps());
        map.put("total_tokens", metrics.totalTokens());
        map.put("input_tokens", metrics.inputTokens());
        map.put("output_tokens", metrics.outputTokens());
        map.put("elapsed_seconds", metrics.elapsedSeconds());
        map.put("remaining", Collections.unmodifiableMap(remaining));
        map.put("call_count", metrics.callCount());
        return Collections.unmodifiableMap(map);
    }

    /** The seed's {@code metrics} property: a consistent snapshot of the global figures. */
    public ExecutionMetrics metrics() {
        ScopeUsage global = ledger.usage(LimitScope.global());
        return new ExecutionMetrics(global.committedCost(), global.committedSteps(), global.inputTokens(),
                global.outputTokens(), elapsedSeconds(), global.committedSteps(), global.failedCalls());
    }

    /** Usage of one scope: an agent, a workflow run, a tenant. */
    public ScopeUsage usage(LimitScope scope) {
        return ledger.usage(scope);
    }

    public List<ScopeUsage> usages(LimitScope.Type type) {
        return ledger.usages(type);
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
        return (step == null ? checkpoints.latest(workflowId) : checkpoints.find(workflowId, step)).orElse(null);
    }

    public List<Checkpoint> getCheckpoints(String workflowId) {
        return checkpoints.list(workflowId);
    }

    /** Where {@link #resume} would continue, or null without a checkpoint. */
    public ResumePoint getResumePoint(String workflowId) {
        return checkpoints.latest(workflowId).map(ResumePoint::of).orElse(null);
    }

    // ---- control -------------------------------------------------------------------------------

    public ExecutionLimits getLimits() {
        return limits;
    }

    /** Replaces the limits; the next call is checked against the new ones. */
    public void updateLimits(ExecutionLimits newLimits) {
        this.limits = Objects.requireNonNull(newLimits, "limits");
        warnings.clear();
        log.info("Execution limits updated");
    }

    public PriceTable getPriceTable() {
        return priceTable;
    }

    public void updatePriceTable(PriceTable table) {
        this.priceTable = Objects.requireNonNull(table, "priceTable");
    }

    public ToolAccessController toolAccess() {
        return toolAccess;
    }

    public boolean isCheckpointEnabled() {
        return checkpointEnabled;
    }

    /** Loops detected since the last reset. */
    public long loopsDetected() {
        return loopDetector == null ? 0 : loopDetector.detectedCount();
    }

    /** The kill switch: every new call of every agent is refused with {@link GatewayStoppedException}. */
    public void stopAll() {
        stopped = true;
        log.warn("Gateway stopped: all new LLM calls are refused");
    }

    /** Lifts {@link #stopAll()}. */
    public void resumeAll() {
        stopped = false;
        log.info("Gateway resumed");
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Refuses new calls of one agent with {@link AgentPausedException} until {@link #resumeAgent}. */
    public void pauseAgent(String agentId) {
        pausedAgents.add(Objects.requireNonNull(agentId, "agentId"));
        log.warn("Agent '{}' paused", agentId);
    }

    public void resumeAgent(String agentId) {
        pausedAgents.remove(agentId);
        log.info("Agent '{}' resumed", agentId);
    }

    public Set<String> pausedAgents() {
        return Set.copyOf(pausedAgents);
    }

    /** Starts the time limit's clock now (otherwise it starts at the first call). */
    public void start() {
        startedAt.set(clock.instant());
    }

    /** Forgets a finished workflow run: its usage, loop state and checkpoints. */
    public void completeRun(String workflowId) {
        ledger.forget(LimitScope.workflow(workflowId));
        if (loopDetector != null) {
            loopDetector.forget(workflowId, null);
        }
        checkpoints.delete(workflowId);
    }

    /** The seed's {@code reset()}: metrics, reservations, loop state, history, checkpoints and the clock. */
    public void reset() {
        ledger.reset();
        if (loopDetector != null) {
            loopDetector.reset();
        }
        history.clear();
        checkpoints.clear();
        if (toolAccess != null) {
            toolAccess.reset();
        }
        warnings.clear();
        startedAt.set(null);
        log.info("Gateway reset");
    }

    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    // ---- the call path -------------------------------------------------------------------------

    private record Completed(LlmResponse response, Integer step) {
    }

    private GatewayCall withContext(GatewayCall call) {
        GatewayContext context = GatewayContext.current();
        String agentId = call.agentId() != null ? call.agentId() : context.agentId();
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("a call needs an agent id (on the call or in the GatewayContext)");
        }
        String workflowId = call.workflowId() != null ? call.workflowId() : context.workflowId();
        String tenant = call.tenant() != null ? call.tenant() : context.tenant();
        if (agentId.equals(call.agentId()) && Objects.equals(workflowId, call.workflowId()) && Objects.equals(tenant, call.tenant())) {
            return call;
        }
        return call.toBuilder().agentId(agentId).workflowId(workflowId).tenant(tenant).build();
    }

    private Completed execute(GatewayCall requested, boolean checkpointCall, LlmClient override, ExecutionObserver.Span parent) {
        GatewayCall call = withContext(requested);
        String providerId = normalizeProviderId(call.provider());
        control(call, providerId, override);
        Attempted result = callStrategy.execute(new CallTarget(call.agentId(), providerId, call.model(), 1),
                target -> attempt(call, target, providerId.equals(target.provider()) ? override : null, parent));
        if (result == null) {
            throw new IllegalStateException("The CallStrategy " + callStrategy.getClass().getName()
                    + " returned without a successful attempt");
        }
        CallRecord success = result.record();
        detectLoops(call, success);
        record(success);
        if (checkpointCall && checkpointEnabled && call.workflowId() != null) {
            List<LlmMessage> conversation = new ArrayList<>(call.messages());
            conversation.add(success.response().toAssistantMessage());
            saveCheckpoint(call, success.step(), conversation, List.of(), Map.of(), null, false);
        }
        afterHooks.forEach(hook -> hook.afterCall(result.context(), success.response()));
        return new Completed(success.response(), success.step());
    }

    /** The controls before any attempt: kill switch, paused agent, known provider, offered tools. */
    private void control(GatewayCall call, String providerId, LlmClient override) {
        if (stopped) {
            throw refuse(call, origin(call, providerId, call.model(), 1), new GatewayStoppedException(call.agentId()),
                    "kill-switch");
        }
        if (pausedAgents.contains(call.agentId())) {
            throw refuse(call, origin(call, providerId, call.model(), 1), new AgentPausedException(call.agentId()),
                    "pause:" + call.agentId());
        }
        if (override == null && !providers.containsKey(providerId)) {
            throw refuse(call, origin(call, providerId, call.model(), 1), ProviderNotFoundException.notRegistered(providerId),
                    "provider:" + providerId);
        }
        checkOfferedTools(call, providerId);
    }

    /** A successful attempt: its record is appended once loop detection has seen it. */
    private record Attempted(CallRecord record, CallContext context) {
    }

    /**
     * One governed attempt: reserve, run the hooks, call the provider, settle. However it ends (a
     * refusal, an exception, an {@link Error}), the reservation is settled exactly once and the
     * attempt is recorded.
     */
    private Attempted attempt(GatewayCall call, CallTarget target, LlmClient override, ExecutionObserver.Span parent) {
        String providerId = normalizeProviderId(target.provider());
        LlmClient client = override != null ? override : providers.get(providerId);
        if (client == null) {
            throw refuse(call, origin(call, providerId, target.model(), target.attempt()),
                    ProviderNotFoundException.notRegistered(providerId), "provider:" + providerId);
        }
        // the cap the reservation counts is sent, so the provider itself enforces it
        LlmRequest request = new LlmRequest(providerId, target.model(), call.messages(), call.tools(), call.temperature(),
                call.maxTokens() != null ? call.maxTokens() : defaultMaxOutputTokens);
        BigDecimal estimate;
        try {
            estimate = estimate(client, request, call);
        } catch (UnpricedModelException unpriced) {
            throw refuse(call, origin(call, providerId, target.model(), target.attempt()), unpriced, "unpriced:" + target.model());
        }
        Reservation reservation = reserve(call, estimate, target);
        Integer step = stepOf(call, reservation);
        CallRecord.Origin origin = new CallRecord.Origin(nextCallId(), call.agentId(), request, clock.instant(),
                call.workflowId(), step, call.tenant(), target.attempt());
        CallContext context = new CallContext(origin.callId(), call.agentId(), call.workflowId(), call.tenant(), request);
        Hold hold = new Hold(reservation);
        long started = System.nanoTime();
        ExecutionObserver.Span span = ExecutionObserver.Span.NOOP;
        boolean recorded = false;
        try {
            span = observer.callStarted(context, parent);
            for (BeforeCallHook hook : beforeHooks) {
                try {
                    hook.beforeCall(context);
                } catch (RuntimeException veto) {
                    hold.release(); // counts the failed call: no second count for the refusal
                    recorded = true;
                    throw recordRefusal(origin, "Vetoed by a before-call hook: " + veto.getMessage(), veto,
                            "hook:" + hook.getClass().getName());
                }
            }
            LlmResponse raw = complete(client, request, providerId);
            double latencyMs = millisSince(started);
            String model = raw.model() != null ? raw.model() : target.model();
            BigDecimal cost = raw.cost();
            boolean priced = cost != null;
            if (!priced) {
                cost = priceTable.cost(model, raw.inputTokens(), raw.outputTokens(), raw.tokenDetails()).orElse(null);
                priced = cost != null;
                if (!priced) {
                    cost = BigDecimal.ZERO;
                    if (unpricedModels.add(String.valueOf(model))) {
                        log.warn("No price for model '{}': its calls are recorded at cost 0 and flagged as unpriced", model);
                    }
                }
            }
            LlmResponse response = new LlmResponse(raw.content(), raw.toolCalls(), raw.inputTokens(), raw.outputTokens(), cost,
                    model, providerId, (long) latencyMs, raw.finishReason(), raw.tokenDetails());
            // actual spend is committed even past the reservation: the over-run is reported, never hidden
            warnings.check(limits, hold.commit(cost, raw.inputTokens(), raw.outputTokens()));
            BigDecimal overrun = overrun(origin.callId(), call, providerId, model, reservation, cost);
            span.end(null);
            return new Attempted(CallRecord.success(origin, response, priced, latencyMs, overrun), context);
        } catch (RuntimeException | Error failure) {
            hold.release();
            if (!recorded) {
                record(CallRecord.failure(origin, describe(failure), failure, millisSince(started)));
            }
            span.end(failure);
            throw failure;
        } finally {
            hold.release();
        }
    }

    /** The provider's answer; its exceptions as typed provider exceptions free of secrets, {@link Error}s as they are. */
    private LlmResponse complete(LlmClient client, LlmRequest request, String providerId) {
        LlmResponse raw;
        try {
            raw = client.complete(request);
        } catch (RuntimeException failure) {
            throw asProviderException(providerId, failure);
        }
        if (raw == null) {
            throw new ProviderBadResponseException(providerId, "Provider '" + providerId + "' returned no response", null);
        }
        return raw;
    }

    /**
     * The reservation of one attempt, settled exactly once: committed when the call succeeds,
     * otherwise given back as a failed call, on whichever path the attempt leaves by.
     */
    private final class Hold {
        private final Reservation reservation;
        private boolean settled;

        Hold(Reservation reservation) {
            this.reservation = reservation;
        }

        List<ScopeUsage> commit(BigDecimal cost, long inputTokens, long outputTokens) {
            List<ScopeUsage> after = ledger.commit(reservation, cost, inputTokens, outputTokens);
            settled = true;
            return after;
        }

        void release() {
            if (!settled) {
                settled = true;
                ledger.release(reservation, true);
            }
        }
    }

    private void checkOfferedTools(GatewayCall call, String providerId) {
        if (toolAccess == null) {
            return;
        }
        for (ToolSpec tool : call.tools()) {
            ToolAccessDecision decision = toolAccess.checkOffer(call.agentId(), tool.name());
            if (!decision.allowed()) {
                ToolAccessDeniedException denied = new ToolAccessDeniedException(call.agentId(), tool.name(),
                        decision.outcome(), decision.reason());
                notifyListeners(listener -> listener.onToolDenied(denied));
                throw refuse(call, origin(call, providerId, call.model(), 1), denied, "tool-access:" + tool.name());
            }
        }
    }

    // ---- refusals ------------------------------------------------------------------------------

    /** What a record of a call refused before its reservation knows: the request as the call would have sent it. */
    private CallRecord.Origin origin(GatewayCall call, String providerId, String model, int attempt) {
        LlmRequest request = new LlmRequest(providerId, model, call.messages(), call.tools(), call.temperature(),
                call.maxTokens());
        return new CallRecord.Origin(nextCallId(), call.agentId(), request, clock.instant(), call.workflowId(), call.step(),
                call.tenant(), attempt);
    }

    /** A call refused before it held a reservation: a failed call on each of its scopes, recorded and logged once. */
    private RuntimeException refuse(GatewayCall call, CallRecord.Origin origin, RuntimeException refusal, String refusedBy) {
        ledger.countFailedCall(scopesOf(call, limits).stream().map(ScopedLimit::scope).toList());
        return recordRefusal(origin, refusal.getMessage(), refusal, refusedBy);
    }

    private RuntimeException recordRefusal(CallRecord.Origin origin, String message, RuntimeException refusal, String refusedBy) {
        recordRefusal(CallRecord.refused(origin, scrub(String.valueOf(message)), refusal, refusedBy));
        return refusal;
    }

    private void recordRefusal(CallRecord refused) {
        logRefusal(refused);
        record(refused);
    }

    /** One line per refusal; an operator's own stop or pause is expected, anything else is worth a warning. */
    private static void logRefusal(CallRecord record) {
        String line = "Refused call {} of agent '{}' (run '{}') by {}: {}";
        Object[] values = {record.callId(), record.agentId(), record.workflowId() == null ? "-" : record.workflowId(),
                record.refusedBy(), record.error()};
        if (record.refusedBy().equals("kill-switch") || record.refusedBy().startsWith("pause:")) {
            log.info(line, values);
        } else {
            log.warn(line, values);
        }
    }

    /** How a refusal names the scope of a limit: {@code global}, or {@code <type>:<id>}. */
    private static String refusedBy(LimitScope scope) {
        return scope.type() == LimitScope.Type.GLOBAL ? "global"
                : scope.type().name().toLowerCase(java.util.Locale.ROOT) + ":" + scope.id();
    }

    private String nextCallId() {
        return idPrefix + "-" + callSequence.incrementAndGet();
    }

    private Reservation reserve(GatewayCall call, BigDecimal estimate, CallTarget target) {
        ExecutionLimits current = limits;
        try {
            checkTime(call.agentId(), current);
            return ledger.reserve(call.agentId(), scopesOf(call, current), estimate);
        } catch (ExecutionLimitException refused) {
            notifyListeners(listener -> listener.onLimitRefused(refused));
            throw refuse(call, origin(call, normalizeProviderId(target.provider()), target.model(), target.attempt()), refused,
                    refusedBy(refused.scope()));
        }
    }

    /** The scopes a call counts on, each with its limits: global, its tenant, its agent, its run. */
    private static List<ScopedLimit> scopesOf(GatewayCall call, ExecutionLimits current) {
        List<ScopedLimit> scopes = new ArrayList<>(4);
        addScope(scopes, LimitScope.global(), current);
        if (call.tenant() != null) {
            addScope(scopes, LimitScope.tenant(call.tenant()), current);
        }
        addScope(scopes, LimitScope.agent(call.agentId()), current);
        if (call.workflowId() != null) {
            addScope(scopes, LimitScope.workflow(call.workflowId()), current);
        }
        return scopes;
    }

    private static void addScope(List<ScopedLimit> scopes, LimitScope scope, ExecutionLimits current) {
        scopes.add(new ScopedLimit(scope, current.limitsFor(scope)));
    }

    private void checkTime(String agentId, ExecutionLimits current) {
        Instant now = clock.instant();
        startedAt.compareAndSet(null, now);
        if (current.maxTime() == null) {
            return;
        }
        double elapsed = secondsBetween(startedAt.get(), now);
        double limitSeconds = current.maxTimeSeconds();
        if (elapsed >= limitSeconds) {
            throw new dev.agentgateway.core.limits.TimeLimitExceededException(agentId, elapsed, limitSeconds);
        }
        warnings.checkTime(current, elapsed); // only before the limit: the refusal is an event of its own
    }

    /**
     * What to reserve: an upper bound of the call's cost. The client's own bound, else the counted
     * prompt plus the output cap the request sends, at the model's dearest input price. A model
     * without a price is refused while a money limit applies, unless unpriced models are allowed.
     */
    private BigDecimal estimate(LlmClient client, LlmRequest request, GatewayCall call) {
        Optional<BigDecimal> own = client.estimateCost(request);
        if (own.isPresent()) {
            return own.get();
        }
        Optional<ModelPrice> price = priceTable.find(request.model());
        if (price.isPresent()) {
            return price.get().maxCost(tokenCounter.inputTokens(request), request.maxTokens());
        }
        if (!allowUnpricedModels && underBudget(call, limits)) {
            throw new UnpricedModelException(request.model(), call.agentId());
        }
        return BigDecimal.ZERO;
    }

    private static boolean underBudget(GatewayCall call, ExecutionLimits current) {
        return current.limitsFor(LimitScope.global()).maxBudget() != null
                || current.limitsFor(LimitScope.agent(call.agentId())).maxBudget() != null
                || (call.tenant() != null && current.limitsFor(LimitScope.tenant(call.tenant())).maxBudget() != null)
                || (call.workflowId() != null && current.limitsFor(LimitScope.workflow(call.workflowId())).maxBudget() != null);
    }

    /** How much the call cost beyond its reservation (zero when it kept within it); an over-run is reported. */
    private BigDecimal overrun(String callId, GatewayCall call, String providerId, String model, Reservation reservation,
                               BigDecimal cost) {
        BigDecimal overrun = cost.subtract(reservation.amount());
        if (overrun.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        ReservationOverrun event = new ReservationOverrun(callId, call.agentId(), providerId, model, reservation.amount(), cost);
        log.warn("Call {} of agent '{}' to {}/{} cost {} USD, {} more than its reservation of {}: the client did not keep "
                + "to the request's max tokens", callId, call.agentId(), providerId, model, cost.toPlainString(),
                overrun.toPlainString(), reservation.amount().toPlainString());
        notifyListeners(listener -> listener.onReservationOverrun(event));
        return overrun;
    }

    private void detectLoops(GatewayCall call, CallRecord success) {
        if (loopDetector == null) {
            return;
        }
        LlmResponse response = success.response();
        try {
            loopDetector.record(call.workflowId(), call.agentId(), response.content(), stateHash(call.state()),
                    response.toolCalls());
        } catch (LoopDetectedException loop) {
            ledger.countFailedCall(scopesOf(call, limits).stream().map(ScopedLimit::scope).toList());
            recordRefusal(success.refusedAfter(loop, "loop:" + loop.pattern().name().toLowerCase(java.util.Locale.ROOT)));
            notifyListeners(listener -> listener.onLoopDetected(loop));
            throw loop;
        }
    }

    private static Integer stateHash(Object state) {
        if (state instanceof SharedState shared) {
            return shared.contentHash();
        }
        return state == null ? null : state.hashCode();
    }

    /** The call's own step, else its position in its workflow run; none outside a run. */
    private static Integer stepOf(GatewayCall call, Reservation reservation) {
        if (call.step() != null) {
            return call.step();
        }
        return call.workflowId() == null ? null : (int) reservation.runStep();
    }

    // ---- the tool loop -------------------------------------------------------------------------

    private LlmResponse runToolLoop(GatewayCall call, ResumableRun run, List<LlmMessage> messages, ToolExecutor executor,
                                    Checkpoint resumeFrom) {
        ExecutionObserver.Span runSpan = observer.runStarted(call.agentId(), call.workflowId());
        try {
            LlmResponse response = runToolLoop(call, run, messages, executor, resumeFrom, runSpan);
            runSpan.end(null);
            return response;
        } catch (RuntimeException | Error failure) {
            runSpan.end(failure);
            throw failure;
        }
    }

    private LlmResponse runToolLoop(GatewayCall call, ResumableRun run, List<LlmMessage> messages, ToolExecutor executor,
                                    Checkpoint resumeFrom, ExecutionObserver.Span runSpan) {
        Map<String, ToolSpec> offered = new LinkedHashMap<>();
        call.tools().forEach(tool -> offered.put(tool.name(), tool));
        ToolTurnExecutor.TurnScope scope = new ToolTurnExecutor.TurnScope(call.agentId(), call.workflowId(), call.tenant());
        Integer nextStep = call.step();
        int iteration = run.iteration();
        if (resumeFrom != null) {
            nextStep = resumeFrom.step() + 1;
            if (!resumeFrom.pendingToolCalls().isEmpty()) {
                runToolTurn(call, resumeFrom.step(), run, messages, resumeFrom.pendingToolCalls(), offered, executor,
                        resumeFrom.completedToolResults(), scope, runSpan);
            }
        }
        while (true) {
            iteration++;
            Completed completed = execute(call.withMessages(messages).withStep(nextStep), false, null, runSpan);
            LlmResponse response = completed.response();
            ResumableRun progress = run.atIteration(iteration);
            int step = completed.step() == null ? 0 : completed.step();
            nextStep = completed.step() == null ? null : step + 1;
            if (!response.hasToolCalls()) {
                messages.add(response.toAssistantMessage());
                checkpointTurn(call, step, messages, List.of(), Map.of(), progress, true);
                return response;
            }
            messages.add(response.toAssistantMessage());
            if (iteration >= run.maxIterations()) {
                checkpointTurn(call, step, messages, List.of(), Map.of(), progress, true);
                log.debug("Tool run of agent '{}' stopped after {} iterations", call.agentId(), iteration);
                return response.withFinishReason(LlmResponse.FINISH_MAX_ITERATIONS);
            }
            runToolTurn(call, step, progress, messages, response.toolCalls(), offered, executor, Map.of(), scope,
                    runSpan);
        }
    }

    private void runToolTurn(GatewayCall call, int step, ResumableRun progress, List<LlmMessage> messages, List<ToolCall> calls,
                             Map<String, ToolSpec> offered, ToolExecutor executor, Map<String, String> alreadyCompleted,
                             ToolTurnExecutor.TurnScope scope, ExecutionObserver.Span runSpan) {
        Map<String, String> completed = new LinkedHashMap<>(alreadyCompleted);
        checkpointTurn(call, step, messages, calls, completed, progress, false);
        // each finished tool is checkpointed on its own thread the moment it finishes (one at a time), so a
        // crash while other tools of the turn still run cannot make it run again
        List<LlmMessage> results = toolTurns.execute(scope, calls, offered, executor, alreadyCompleted, runSpan, (toolCall, result) -> {
            completed.put(toolCall.id(), result.content());
            checkpointTurn(call, step, messages, calls, completed, progress, false);
        });
        messages.addAll(results);
        checkpointTurn(call, step, messages, List.of(), Map.of(), progress, false);
    }

    private void checkpointTurn(GatewayCall call, int step, List<LlmMessage> messages, List<ToolCall> pending,
                                Map<String, String> completed, ResumableRun run, boolean finished) {
        if (checkpointEnabled && call.workflowId() != null) {
            saveCheckpoint(call, step, messages, pending, completed, run, finished);
        }
    }

    private void saveCheckpoint(GatewayCall call, int step, List<LlmMessage> messages, List<ToolCall> pending,
                                Map<String, String> completed, ResumableRun run, boolean finished) {
        Map<String, Object> state = call.state() instanceof SharedState shared ? shared.toMap() : SharedState.copyOf(castState(call.state()));
        try {
            checkpoints.save(new Checkpoint(call.workflowId(), step, call.agentId(), clock.instant(), state, getMetrics(),
                    messages, pending, completed, run, finished));
        } catch (RuntimeException e) {
            throw new CheckpointException("Could not save checkpoint " + step + " of workflow '" + call.workflowId() + "'", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castState(Object state) {
        return state == null ? Map.of() : (Map<String, ?>) state;
    }

    // ---- recording -----------------------------------------------------------------------------

    private void record(CallRecord record) {
        history.append(record);
        notifyListeners(listener -> listener.onCallRecorded(record));
    }

    private void recordToolCall(ToolCallRecord record) {
        history.appendToolCall(record);
        notifyListeners(listener -> listener.onToolCall(record));
    }

    private void fireWarning(LimitWarning warning) {
        log.warn("Limit warning: {} of {} at {} of {} ({}% threshold)", warning.kind(), warning.scope(),
                warning.current().toPlainString(), warning.limit().toPlainString(), Math.round(warning.threshold() * 100));
        notifyListeners(listener -> listener.onLimitWarning(warning));
    }

    private void notifyListeners(Consumer<GatewayListener> event) {
        for (GatewayListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Gateway listener {} failed: {}", listener.getClass().getName(), e.toString());
            }
        }
    }

    // ---- small helpers -------------------------------------------------------------------------

    /**
     * The failure as a typed provider exception without any secret in it: a client that echoes its
     * key (in a message or a cause's) must not leak it to callers, logs or the history. A typed
     * failure keeps its type, retryability and figures, so retries and circuit breakers treat it
     * as they would have; any other becomes a provider failure that is not retried.
     */
    private ProviderException asProviderException(String providerId, RuntimeException failure) {
        SecretRedactor secrets = redactor.get();
        if (failure instanceof ProviderException typed) {
            return secrets.exposedIn(typed) ? typed.withMessage(secrets.redact(typed.getMessage()), secrets.safeCause(typed.getCause()))
                    : typed;
        }
        return new ProviderException(providerId, secrets.redact("Provider '" + providerId + "' failed: " + failure), false,
                secrets.safeCause(failure));
    }

    /** A failure's message for the record, free of secrets. */
    private String describe(Throwable failure) {
        return scrub(failure.getMessage() != null ? failure.getMessage() : failure.toString());
    }

    private String scrub(String text) {
        return redactor.get().redact(text);
    }

    private double elapsedSeconds() {
        Instant start = startedAt.get();
        return start == null ? 0.0 : secondsBetween(start, clock.instant());
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static BigDecimal nonNegative(BigDecimal value) {
        return value.signum() < 0 ? BigDecimal.ZERO : value;
    }

    private static String normalizeProviderId(String provider) {
        Objects.requireNonNull(provider, "provider");
        LlmProvider known = LlmProvider.fromId(provider);
        return known != null ? known.id() : provider;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicLong counter = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, "agent-gateway-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builds a {@link Gateway}; every option has a sensible default. */
    public static final class Builder {
        private ExecutionLimits limits = ExecutionLimits.none();
        private LoopDetectionConfig loopDetection;
        private ToolAccessController toolAccess;
        private boolean checkpointEnabled;
        private final List<BeforeCallHook> beforeHooks = new ArrayList<>();
        private final List<AfterCallHook> afterHooks = new ArrayList<>();
        private CallHistoryStore history;
        private int historyCapacity = InMemoryCallHistoryStore.DEFAULT_CAPACITY;
        private CheckpointStore checkpoints;
        private BudgetLedger ledger;
        private PriceTable priceTable = PriceTable.defaults();
        private Clock clock = Clock.systemUTC();
        private final List<GatewayListener> listeners = new ArrayList<>();
        private ExecutorService toolExecutorService;
        private Duration toolTimeout = Duration.ofSeconds(30);
        private Executor asyncExecutor;
        private int defaultMaxOutputTokens = 1024;
        private TokenCounter tokenCounter = TokenCounter.standard();
        private boolean allowUnpricedModels;
        private int maxTrackedRuns = 10_000;
        private CallStrategy callStrategy = CallStrategy.direct();
        private ExecutionObserver observer = ExecutionObserver.NOOP;
        private final Map<String, ScopeLimits> agentDefaults = new LinkedHashMap<>();
        private final List<LlmClientFactory> factories = new ArrayList<>();
        private final Map<String, LlmClient> providers = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder limits(ExecutionLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Turns loop detection on with this configuration (it is off unless configured). */
        public Builder loopDetection(LoopDetectionConfig config) {
            this.loopDetection = config;
            return this;
        }

        /** Tool access rules; without a controller every tool is allowed to every agent. */
        public Builder toolAccess(ToolAccessController controller) {
            this.toolAccess = controller;
            return this;
        }

        public Builder checkpointEnabled(boolean enabled) {
            this.checkpointEnabled = enabled;
            return this;
        }

        public Builder onBeforeCall(BeforeCallHook hook) {
            beforeHooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        public Builder onAfterCall(AfterCallHook hook) {
            afterHooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        public Builder historyStore(CallHistoryStore store) {
            this.history = store;
            return this;
        }

        /** Capacity of the default in-memory history (default 10 000 calls). */
        public Builder historyCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("historyCapacity must be at least 1, was " + capacity);
            }
            this.historyCapacity = capacity;
            return this;
        }

        public Builder checkpointStore(CheckpointStore store) {
            this.checkpoints = store;
            return this;
        }

        public Builder budgetLedger(BudgetLedger ledger) {
            this.ledger = ledger;
            return this;
        }

        public Builder priceTable(PriceTable priceTable) {
            this.priceTable = Objects.requireNonNull(priceTable, "priceTable");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder listener(GatewayListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Told once per limit and scope when usage reaches the warning threshold. */
        public Builder onLimitWarning(LimitWarningListener listener) {
            Objects.requireNonNull(listener, "listener");
            return listener(new GatewayListener() {
                @Override
                public void onLimitWarning(LimitWarning warning) {
                    listener.onWarning(warning);
                }
            });
        }

        /** Where tool calls run; independent calls of one turn run in parallel on it. */
        public Builder toolExecutorService(ExecutorService executor) {
            this.toolExecutorService = executor;
            return this;
        }

        /** How long the tool calls of one turn may take together (default 30 s). */
        public Builder toolTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("toolTimeout must be positive, was " + timeout);
            }
            this.toolTimeout = timeout;
            return this;
        }

        public Builder asyncExecutor(Executor executor) {
            this.asyncExecutor = executor;
            return this;
        }

        /**
         * Output cap of a call that sets no {@code maxTokens} (default 1024): sent with the request,
         * so the provider stops there, and reserved.
         */
        public Builder defaultMaxOutputTokens(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("defaultMaxOutputTokens must be positive, was " + tokens);
            }
            this.defaultMaxOutputTokens = tokens;
            return this;
        }

        /** Counts prompt tokens for reservations (default {@link TokenCounter#standard()}). */
        public Builder tokenCounter(TokenCounter counter) {
            this.tokenCounter = Objects.requireNonNull(counter, "tokenCounter");
            return this;
        }

        /**
         * Lets calls to models without a price run under a money limit (recorded at cost 0, flagged
         * unpriced). Off by default: such a call is refused with {@link UnpricedModelException}.
         */
        public Builder allowUnpricedModels(boolean allow) {
            this.allowUnpricedModels = allow;
            return this;
        }

        /**
         * How many workflow runs loop detection and the default ledger remember at once (the least
         * recently used are dropped; default 10 000).
         */
        public Builder maxTrackedRuns(int runs) {
            this.maxTrackedRuns = runs;
            return this;
        }

        /** Watches runs, provider attempts and tool executions, for tracing. */
        public Builder observer(ExecutionObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** How the attempts of a call are made (retries, circuit breaking, fallbacks); default one attempt. */
        public Builder callStrategy(CallStrategy strategy) {
            this.callStrategy = Objects.requireNonNull(strategy, "callStrategy");
            return this;
        }

        /**
         * Default limits of one agent (from its declaration, say): each limit applies unless the
         * limits given with {@link #limits} set that agent's limit themselves.
         */
        public Builder agentLimits(String agentId, ScopeLimits agentLimits) {
            agentDefaults.put(Objects.requireNonNull(agentId, "agentId"), Objects.requireNonNull(agentLimits, "agentLimits"));
            return this;
        }

        public Builder clientFactory(LlmClientFactory factory) {
            factories.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Registers a client, as {@link Gateway#registerProvider} does after building. */
        public Builder provider(String providerId, LlmClient client) {
            providers.put(normalizeProviderId(providerId), Objects.requireNonNull(client, "client"));
            return this;
        }

        public Gateway build() {
            if (!agentDefaults.isEmpty()) {
                ExecutionLimits.Builder merged = limits.toBuilder();
                agentDefaults.forEach((agentId, defaults) -> {
                    ScopeLimits explicit = limits.agents().get(agentId);
                    merged.agent(agentId, explicit == null ? defaults : explicit.orElse(defaults));
                });
                limits = merged.build();
            }
            return new Gateway(this);
        }
    }
}
