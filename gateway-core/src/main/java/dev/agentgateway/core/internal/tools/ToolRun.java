package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.approval.RunClaim;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.RunTotals;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tool-calling run ({@code callWithTools} or {@code resume}): the call it started from, how
 * far it may go, the conversation so far, the tools offered and who runs them. What the tool loop
 * knows about a run lives here, so per-run rules (per-tool limits, result truncation, run totals)
 * have one place to go.
 */
public final class ToolRun {

    private final GatewayCall call;
    private final ResumableRun run;
    private final List<LlmMessage> messages;
    private final ToolExecutor executor;
    private final Checkpoint resumeFrom;
    private final Map<String, ToolSpec> offered = new LinkedHashMap<>();
    private final ToolTurnExecutor.TurnScope scope;
    private ExecutionObserver.Span span = ExecutionObserver.Span.NOOP;
    private RunClaim claim;

    private ToolRun(GatewayCall call, ResumableRun run, List<LlmMessage> messages, ToolExecutor executor, Checkpoint resumeFrom,
                    RunTally tally) {
        this.call = call;
        this.run = run;
        this.messages = messages;
        this.executor = executor;
        this.resumeFrom = resumeFrom;
        for (ToolSpec tool : call.tools()) {
            offered.put(tool.name(), tool);
        }
        this.scope = new ToolTurnExecutor.TurnScope(call.agentId(), call.workflowId(), call.tenant(), tally);
    }

    /** A new run of a call whose scope is resolved. */
    public static ToolRun start(GatewayCall scoped, ToolExecutor executor, int maxIterations) {
        ResumableRun run = new ResumableRun(scoped.agentId(), scoped.provider(), scoped.model(), scoped.tools(),
                scoped.temperature(), scoped.maxTokens(), scoped.tenant(), maxIterations, 0);
        return new ToolRun(scoped, run, new ArrayList<>(scoped.messages()), executor, null, new RunTally(RunTotals.NONE));
    }

    /** The run of {@code workflowId} continued from a resumable checkpoint. */
    public static ToolRun resume(String workflowId, Checkpoint checkpoint, ToolExecutor executor) {
        ResumableRun run = checkpoint.run();
        GatewayCall call = GatewayCall.builder().agentId(run.agentId()).provider(run.provider()).model(run.model())
                .messages(checkpoint.messages()).tools(run.tools()).temperature(run.temperature())
                .maxTokens(run.maxTokens()).tenant(run.tenant()).workflowId(workflowId)
                // a run without state is checkpointed with an empty map: resume it without state, as it ran
                .state(checkpoint.state().isEmpty() ? null : checkpoint.state()).build();
        Map<String, String> pendingNames = new HashMap<>();
        checkpoint.pendingToolCalls().forEach(pending -> pendingNames.put(pending.id(), pending.name()));
        RunTally tally = RunTally.resumed(run.totals(), checkpoint.messages(), checkpoint.completedToolResults(), pendingNames);
        return new ToolRun(call, run, new ArrayList<>(checkpoint.messages()), executor, checkpoint, tally);
    }

    public GatewayCall call() {
        return call;
    }

    /** The call of the next iteration: the conversation so far, at {@code step}. */
    GatewayCall nextCall(Integer step) {
        return call.withMessages(messages).withStep(step);
    }

    public ResumableRun run() {
        return run;
    }

    /** The conversation so far; the loop appends each answer and each turn's tool results. */
    List<LlmMessage> messages() {
        return messages;
    }

    ToolExecutor executor() {
        return executor;
    }

    /** The checkpoint the run resumes from, or {@code null} for a new run. */
    Checkpoint resumeFrom() {
        return resumeFrom;
    }

    Map<String, ToolSpec> offered() {
        return offered;
    }

    ToolTurnExecutor.TurnScope scope() {
        return scope;
    }

    /** The claim of a run resumed after its approvals were decided, or {@code null}; held until the approved turn is over. */
    RunClaim claim() {
        return claim;
    }

    ToolRun claimed(RunClaim runClaim) {
        this.claim = runClaim;
        return this;
    }

    /** What the run has used so far: per-tool calls and its totals. */
    RunTally tally() {
        return scope.tally();
    }

    /** {@code progress} with the run's totals so far, as a checkpoint keeps them. */
    ResumableRun withTotals(ResumableRun progress) {
        return progress.withTotals(scope.tally().totals());
    }

    ExecutionObserver.Span span() {
        return span;
    }

    void span(ExecutionObserver.Span runSpan) {
        this.span = runSpan;
    }
}
