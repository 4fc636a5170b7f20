package dev.agentgateway.core;

import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.LimitWarningListener;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.provider.UnpricedModelException;
import dev.agentgateway.core.tools.ToolAccessController;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The options of {@link Gateway.Builder}, kept apart so that {@code Gateway} itself is only the
 * facade. Every option has a sensible default; the builder only stores them, the gateway's
 * constructor wires the parts from them.
 */
abstract class GatewayBuilderSupport {

    ExecutionLimits limits = ExecutionLimits.none();
    LoopDetectionConfig loopDetection;
    ToolAccessController toolAccess;
    boolean checkpointEnabled;
    final List<BeforeCallHook> beforeHooks = new ArrayList<>();
    final List<AfterCallHook> afterHooks = new ArrayList<>();
    CallHistoryStore history;
    int historyCapacity = InMemoryCallHistoryStore.DEFAULT_CAPACITY;
    CheckpointStore checkpoints;
    BudgetLedger ledger;
    PriceTable priceTable = PriceTable.defaults();
    Clock clock = Clock.systemUTC();
    final List<GatewayListener> listeners = new ArrayList<>();
    ExecutorService toolExecutorService;
    Duration toolTimeout = Duration.ofSeconds(30);
    final Map<String, dev.agentgateway.core.tools.ToolLimits> toolLimits = new LinkedHashMap<>();
    Integer maxToolResultSize;
    Executor asyncExecutor;
    int defaultMaxOutputTokens = 1024;
    TokenCounter tokenCounter = TokenCounter.standard();
    boolean allowUnpricedModels;
    int maxTrackedRuns = 10_000;
    CallStrategy callStrategy = CallStrategy.direct();
    ExecutionObserver observer = ExecutionObserver.NOOP;
    final Map<String, ScopeLimits> agentDefaults = new LinkedHashMap<>();
    final List<LlmClientFactory> factories = new ArrayList<>();
    final Map<String, LlmClient> providers = new LinkedHashMap<>();
    Duration streamTimeout;
    dev.agentgateway.core.loop.StreamRepetitionRule streamRepetition;
    dev.agentgateway.core.stream.StreamTimer streamTimer = dev.agentgateway.core.stream.StreamTimer.shared();
    dev.agentgateway.core.approval.Approvals approvals;
    String instanceId = "gateway-" + java.util.UUID.randomUUID();
    Duration approvalClaimTimeout;
    final Map<String, dev.agentgateway.core.limits.LimitActions> limitActions = new LinkedHashMap<>();

    /** How long a stream may run before it is cut off as timed out (none unless set). */
    public Gateway.Builder streamTimeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("streamTimeout must be positive, was " + timeout);
        }
        this.streamTimeout = timeout;
        return self();
    }

    /** Cuts a stream whose text degenerates into repetition (off unless set). */
    public Gateway.Builder streamRepetition(dev.agentgateway.core.loop.StreamRepetitionRule rule) {
        this.streamRepetition = rule;
        return self();
    }

    /** Runs streams' deadlines (time limit, time-out); one shared daemon thread by default. */
    public Gateway.Builder streamTimer(dev.agentgateway.core.stream.StreamTimer timer) {
        this.streamTimer = java.util.Objects.requireNonNull(timer, "streamTimer");
        return self();
    }

    public Gateway.Builder limits(ExecutionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    /** Turns loop detection on with this configuration (it is off unless configured). */
    public Gateway.Builder loopDetection(LoopDetectionConfig config) {
        this.loopDetection = config;
        return self();
    }

    /** Tool access rules; without a controller every tool is allowed to every agent. */
    public Gateway.Builder toolAccess(ToolAccessController controller) {
        this.toolAccess = controller;
        return self();
    }

    public Gateway.Builder checkpointEnabled(boolean enabled) {
        this.checkpointEnabled = enabled;
        return self();
    }

    public Gateway.Builder onBeforeCall(BeforeCallHook hook) {
        beforeHooks.add(Objects.requireNonNull(hook, "hook"));
        return self();
    }

    public Gateway.Builder onAfterCall(AfterCallHook hook) {
        afterHooks.add(Objects.requireNonNull(hook, "hook"));
        return self();
    }

    public Gateway.Builder historyStore(CallHistoryStore store) {
        this.history = store;
        return self();
    }

    /** Capacity of the default in-memory history (default 10 000 calls). */
    public Gateway.Builder historyCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("historyCapacity must be at least 1, was " + capacity);
        }
        this.historyCapacity = capacity;
        return self();
    }

    public Gateway.Builder checkpointStore(CheckpointStore store) {
        this.checkpoints = store;
        return self();
    }

    public Gateway.Builder budgetLedger(BudgetLedger ledger) {
        this.ledger = ledger;
        return self();
    }

    public Gateway.Builder priceTable(PriceTable priceTable) {
        this.priceTable = Objects.requireNonNull(priceTable, "priceTable");
        return self();
    }

    public Gateway.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    public Gateway.Builder listener(GatewayListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * Told once per limit and scope when usage reaches the warning threshold.
     *
     * @deprecated register a {@link GatewayListener} overriding {@link GatewayListener#onLimitWarning} with {@link #listener}
     */
    @Deprecated(since = "0.1.0")
    public Gateway.Builder onLimitWarning(LimitWarningListener listener) {
        Objects.requireNonNull(listener, "listener");
        return listener(new GatewayListener() {
            @Override
            public void onLimitWarning(LimitWarning warning) {
                listener.onWarning(warning);
            }
        });
    }

    /** Where tool calls run; independent calls of one turn run in parallel on it. */
    public Gateway.Builder toolExecutorService(ExecutorService executor) {
        this.toolExecutorService = executor;
        return self();
    }

    /** How long the tool calls of one turn may take together (default 30 s). */
    public Gateway.Builder toolTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("toolTimeout must be positive, was " + timeout);
        }
        this.toolTimeout = timeout;
        return self();
    }

    /**
     * Durable approvals: a tool-calling run (with a workflow id, checkpoints on) that reaches a tool
     * needing approval, with no synchronous {@link dev.agentgateway.core.tools.ApprovalHandler}
     * configured, pauses in a checkpoint and asks for approval here instead of being denied; see
     * {@link Gateway#resumeApproved}.
     */
    public Gateway.Builder approvals(dev.agentgateway.core.approval.Approvals approvals) {
        this.approvals = approvals;
        return self();
    }

    /** This instance as it claims paused runs to resume them (default a random id). */
    public Gateway.Builder instanceId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("instanceId must not be blank");
        }
        this.instanceId = id;
        return self();
    }

    /**
     * How long a claim on a paused run stands before another instance may take it over, as when the
     * instance resuming it died (default 5 min, or twice the tool time-out when that is longer).
     * Must exceed the tool time-out: the claim is held while the approved tools run.
     */
    public Gateway.Builder approvalClaimTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("approvalClaimTimeout must be positive, was " + timeout);
        }
        this.approvalClaimTimeout = timeout;
        return self();
    }

    /**
     * The limits of a tool, or of the tools a name pattern ({@code *}, {@code ?}) matches, counted
     * together. A tool's own name wins over patterns; of several patterns, the first given wins.
     */
    public Gateway.Builder toolLimits(String toolOrPattern, dev.agentgateway.core.tools.ToolLimits limits) {
        Objects.requireNonNull(toolOrPattern, "toolOrPattern");
        toolLimits.put(toolOrPattern, Objects.requireNonNull(limits, "limits"));
        return self();
    }

    /**
     * Characters of a tool's result sent to the model, for tools whose limits set none: a longer
     * result is cut there, with a marker the model can read, and recorded as truncated (no cut unless set).
     */
    public Gateway.Builder maxToolResultSize(Integer characters) {
        if (characters != null && characters < 1) {
            throw new IllegalArgumentException("maxToolResultSize must be at least 1, was " + characters);
        }
        this.maxToolResultSize = characters;
        return self();
    }

    /**
     * What {@code agentId}'s tool runs do at a limit: fail (the default), finish with one last call
     * from a reserve the limit keeps back, or go to a cheaper model past a budget's warning threshold.
     */
    public Gateway.Builder limitActions(String agentId, dev.agentgateway.core.limits.LimitActions actions) {
        limitActions.put(Objects.requireNonNull(agentId, "agentId"), Objects.requireNonNull(actions, "actions"));
        return self();
    }

    /** The claim time-out in force: as set, else 5 min or twice the tool time-out, whichever is longer. */
    Duration effectiveClaimTimeout() {
        if (approvalClaimTimeout != null) {
            return approvalClaimTimeout;
        }
        Duration twiceTools = toolTimeout.multipliedBy(2);
        return twiceTools.compareTo(Duration.ofMinutes(5)) > 0 ? twiceTools : Duration.ofMinutes(5);
    }

    public Gateway.Builder asyncExecutor(Executor executor) {
        this.asyncExecutor = executor;
        return self();
    }

    /**
     * Output cap of a call that sets no {@code maxTokens} (default 1024): sent with the request,
     * so the provider stops there, and reserved.
     */
    public Gateway.Builder defaultMaxOutputTokens(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("defaultMaxOutputTokens must be positive, was " + tokens);
        }
        this.defaultMaxOutputTokens = tokens;
        return self();
    }

    /** Counts prompt tokens for reservations (default {@link TokenCounter#standard()}). */
    public Gateway.Builder tokenCounter(TokenCounter counter) {
        this.tokenCounter = Objects.requireNonNull(counter, "tokenCounter");
        return self();
    }

    /**
     * Lets calls to models without a price run under a money limit (recorded at cost 0, flagged
     * unpriced). Off by default: such a call is refused with {@link UnpricedModelException}.
     */
    public Gateway.Builder allowUnpricedModels(boolean allow) {
        this.allowUnpricedModels = allow;
        return self();
    }

    /**
     * How many workflow runs loop detection and the default ledger remember at once (the least
     * recently used are dropped; default 10 000).
     */
    public Gateway.Builder maxTrackedRuns(int runs) {
        this.maxTrackedRuns = runs;
        return self();
    }

    /** Watches runs, provider attempts and tool executions, for tracing. */
    public Gateway.Builder observer(ExecutionObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return self();
    }

    /** How the attempts of a call are made (retries, circuit breaking, fallbacks); default one attempt. */
    public Gateway.Builder callStrategy(CallStrategy strategy) {
        this.callStrategy = Objects.requireNonNull(strategy, "callStrategy");
        return self();
    }

    /**
     * Default limits of one agent (from its declaration, say): each limit applies unless the
     * limits given with {@link #limits} set that agent's limit themselves.
     */
    public Gateway.Builder agentLimits(String agentId, ScopeLimits agentLimits) {
        agentDefaults.put(Objects.requireNonNull(agentId, "agentId"), Objects.requireNonNull(agentLimits, "agentLimits"));
        return self();
    }

    public Gateway.Builder clientFactory(LlmClientFactory factory) {
        factories.add(Objects.requireNonNull(factory, "factory"));
        return self();
    }

    /** Registers a client, as {@link Gateway#registerProvider} does after building. */
    public Gateway.Builder provider(String providerId, LlmClient client) {
        providers.put(ProviderRegistry.normalizeId(providerId), Objects.requireNonNull(client, "client"));
        return self();
    }

    /** The limits with each agent's defaults filled in where the limits do not set that agent's own. */
    ExecutionLimits effectiveLimits() {
        if (agentDefaults.isEmpty()) {
            return limits;
        }
        ExecutionLimits.Builder merged = limits.toBuilder();
        agentDefaults.forEach((agentId, defaults) -> {
            ScopeLimits explicit = limits.agents().get(agentId);
            merged.agent(agentId, explicit == null ? defaults : explicit.orElse(defaults));
        });
        return merged.build();
    }

    private Gateway.Builder self() {
        return (Gateway.Builder) this;
    }
}
