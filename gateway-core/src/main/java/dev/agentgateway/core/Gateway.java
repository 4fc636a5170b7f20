package dev.agentgateway.core;

import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.internal.ScopeStage;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.approval.RunNotResumableException;
import dev.agentgateway.core.internal.tools.ToolRun;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmProvider;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.stream.StreamSource;
import dev.agentgateway.core.internal.stream.ToolRunStream;
import dev.agentgateway.core.internal.tools.StreamedToolRun;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

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
public class Gateway implements GatewayShortcuts, AutoCloseable {

    /** Default iteration limit of {@link #callWithTools}. */
    public static final int DEFAULT_MAX_ITERATIONS = 10;

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayParts parts;

    /** The parts wired from {@code builder} ({@link GatewayParts}). */
    protected Gateway(Builder builder) {
        this.parts = new GatewayParts(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- the parts (GatewayShortcuts has the seed's shortcuts to them) --------------------------

    @Override
    public ProviderRegistry providers() {
        return parts.providers;
    }

    @Override
    public GatewayControl control() {
        return parts.control;
    }

    @Override
    public LimitEnforcer limits() {
        return parts.limits;
    }

    @Override
    public CallHistoryStore history() {
        return parts.history;
    }

    @Override
    public CheckpointStore checkpoints() {
        return parts.checkpointer.store();
    }

    // ---- providers -----------------------------------------------------------------------------

    /**
     * The seed's {@code configure_provider}: creates the provider's client from an API key and
     * options with its factory; the option {@code type} names another factory to use under this id.
     *
     * @throws ProviderNotFoundException when no factory serves {@code provider} (its module is missing)
     */
    public Gateway configureProvider(String provider, String apiKey, Map<String, ?> options) {
        parts.providers.configure(provider, apiKey, options);
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
        parts.providers.register(providerId, client);
        return this;
    }

    public Gateway registerProvider(LlmProvider provider, LlmClient client) {
        return registerProvider(provider.id(), client);
    }

    /** Adds a factory that {@link #configureProvider} can use. */
    public Gateway registerClientFactory(LlmClientFactory factory) {
        parts.providers.registerFactory(factory);
        return this;
    }

    // ---- calls ---------------------------------------------------------------------------------

    /** The seed's {@code call}: one governed call. */
    public LlmResponse call(GatewayCall call) {
        return parts.pipeline.execute(call, true, null, ExecutionObserver.Span.NOOP).response();
    }

    /**
     * Governs a call that {@code client} makes, rather than the client registered for the call's
     * provider: how frameworks with their own clients (a Spring AI {@code ChatClient}, say) put
     * their calls under the gateway's limits, history and metrics. The call's provider id names
     * the provider in records and metrics.
     */
    public LlmResponse call(GatewayCall call, LlmClient client) {
        return parts.pipeline.execute(call, true, Objects.requireNonNull(client, "client"), ExecutionObserver.Span.NOOP).response();
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
        return CompletableFuture.supplyAsync(() -> context.call(() -> call(call)), parts.asyncExecutor);
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
        return parts.toolLoop.run(ToolRun.start(ScopeStage.resolve(call), toolExecutor, maxIterations));
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
        return parts.streams.events(ScopeStage.resolve(call), 1, true, ExecutionObserver.Span.NOOP);
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
        return subscriber -> new ToolRunStream(new StreamedToolRun(parts.streams, parts.toolLoop, parts.checkpointer,
                ToolRun.start(scoped, toolExecutor, maxIterations)), parts.asyncExecutor).subscribe(subscriber);
    }

    public Flow.Publisher<StreamEvent> streamWithTools(GatewayCall call, ToolExecutor toolExecutor) {
        return streamWithTools(call, toolExecutor, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Governs a stream a framework makes with its own client (see {@link StreamSource}) as
     * {@link #stream(GatewayCall)} governs a provider's: its elements are handed on unchanged.
     */
    public <T> Flow.Publisher<T> stream(GatewayCall call, StreamSource<T> source) {
        return parts.streams.elements(ScopeStage.resolve(call), Objects.requireNonNull(source, "source"));
    }

    /**
     * Continues the tool-calling run of {@code workflowId} from its latest checkpoint: tool calls
     * that finished before the interruption are not run again.
     *
     * @throws CheckpointException when there is no checkpoint, or the run already finished
     */
    public LlmResponse resume(String workflowId, ToolExecutor toolExecutor) {
        return parts.toolLoop.resume(workflowId, Objects.requireNonNull(toolExecutor, "toolExecutor"));
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
        return parts.toolLoop.resumeApproved(Objects.requireNonNull(workflowId, "workflowId"),
                Objects.requireNonNull(toolExecutor, "toolExecutor"));
    }

    /** How long a claim on a paused run stands before another instance may take it over. */
    public Duration approvalClaimTimeout() {
        return parts.approvalClaimTimeout;
    }

    /** The durable approvals runs pause for, or {@code null} when none are configured. */
    public Approvals approvals() {
        return parts.approvals;
    }

    // ---- pricing, tool rules, loops, operator actions --------------------------------------------

    public PriceTable getPriceTable() {
        return parts.costs.priceTable();
    }

    public void updatePriceTable(PriceTable table) {
        parts.costs.priceTable(table);
    }

    public ToolAccessController toolAccess() {
        return parts.toolAccess;
    }

    public boolean isCheckpointEnabled() {
        return parts.checkpointer.enabled();
    }

    /** Loops detected since the last reset. */
    public long loopsDetected() {
        return parts.loopDetector == null ? 0 : parts.loopDetector.detectedCount();
    }

    /** The kill switch: every new call of every agent is refused with {@link GatewayStoppedException}. */
    public void stopAll() {
        parts.stopAll();
    }

    /** Refuses new calls of one agent with {@link AgentPausedException} until {@link #resumeAgent}. */
    public void pauseAgent(String agentId) {
        parts.pauseAgent(agentId);
    }

    /** Forgets a finished workflow run: its usage, loop state and checkpoints. */
    public void completeRun(String workflowId) {
        parts.completeRun(workflowId);
    }

    /** The seed's {@code reset()}: metrics, reservations, warnings, loop state, history, checkpoints and the clock. */
    public void reset() {
        parts.reset();
        log.info("Gateway reset");
    }

    @Override
    public void close() {
        parts.close();
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
