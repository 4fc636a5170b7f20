package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunClaim;
import dev.agentgateway.core.approval.RunNotResumableException;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.internal.CallPipeline;
import dev.agentgateway.core.internal.LimitHold;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitActions;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.LimitKind;
import dev.agentgateway.core.internal.RunCheckpointer;
import dev.agentgateway.core.internal.stream.ToolRunStream;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.tools.ToolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool loop: calls the model through the {@link CallPipeline} (each iteration a governed
 * call), runs the tools it asks for, sends the results back, until it answers without tools or
 * the run's iteration limit is reached. Checkpoints each turn: before its tools run, after each
 * one finishes, and after the turn. A turn that only ran tools exempt from steps does not count as
 * an iteration; the answer carries the run's totals.
 */
public final class ToolLoop {

    private static final Logger log = LoggerFactory.getLogger("dev.agentgateway.core.Gateway");

    private final CallPipeline pipeline;
    private final RunCheckpointer checkpointer;
    private final ToolTurnExecutor turns;
    private final ExecutionObserver observer;
    private final RunApprovals approvals;
    private final LimitEnforcer limits;

    public ToolLoop(CallPipeline pipeline, RunCheckpointer checkpointer, ToolTurnExecutor turns, ExecutionObserver observer) {
        this(pipeline, checkpointer, turns, observer, null, null, null, null);
    }

    /**
     * @param approvals    the durable approvals runs pause for, or {@code null} (approval-required tools then need a
     *                     synchronous handler)
     * @param claimant     this instance, as it claims paused runs
     * @param claimTimeout how long a claim stands before another instance may take it over
     * @param limits       what each agent's runs do at a limit ({@code null}: every limit fails the run)
     */
    public ToolLoop(CallPipeline pipeline, RunCheckpointer checkpointer, ToolTurnExecutor turns, ExecutionObserver observer,
                    Approvals approvals, String claimant, Duration claimTimeout, LimitEnforcer limits) {
        this.limits = limits;
        this.pipeline = pipeline;
        this.checkpointer = checkpointer;
        this.turns = turns;
        this.observer = observer;
        this.approvals = approvals == null ? null : new RunApprovals(approvals, claimant, claimTimeout);
    }

    /**
     * Continues the tool-calling run of {@code workflowId} from its latest checkpoint: tool calls
     * that finished before the interruption are not run again.
     *
     * @throws CheckpointException when there is no checkpoint, or the run already finished
     */
    public LlmResponse resume(String workflowId, ToolExecutor executor) {
        Checkpoint checkpoint = resumable(workflowId);
        if (checkpoint.awaitingApproval()) {
            throw new CheckpointException("Workflow '" + workflowId + "' is paused until its approvals are decided: decide them"
                    + " (Approvals, /actuator/agentapprovals) and it resumes, or call Gateway.resumeApproved");
        }
        return resumeFrom(workflowId, checkpoint, executor, null);
    }

    /**
     * Continues a run paused for approval once every approval of it is decided, on this instance
     * and on no other: the run is claimed first. Approved tools run (with edited arguments where
     * the approver gave them), rejected and expired ones give the model the rejection as their result.
     *
     * @throws RunNotResumableException when an approval is still pending or another instance is resuming the run
     * @throws CheckpointException      when there is no checkpoint to resume from
     */
    public LlmResponse resumeApproved(String workflowId, ToolExecutor executor) {
        if (approvals == null) {
            throw new IllegalStateException("No durable approvals are configured: build the gateway with Gateway.Builder.approvals");
        }
        RunClaim claim = approvals.claim(workflowId);
        Checkpoint checkpoint;
        try {
            checkpoint = resumable(workflowId);
        } catch (CheckpointException e) {
            approvals.finish(claim);
            throw e;
        }
        if (!checkpoint.awaitingApproval()) {
            // the instance that claimed it before died after the approved turn: the run goes on from its checkpoint
            approvals.finish(claim);
            return resumeFrom(workflowId, checkpoint, executor, null);
        }
        return resumeFrom(workflowId, checkpoint, executor, claim);
    }

    private Checkpoint resumable(String workflowId) {
        Checkpoint checkpoint = checkpointer.store().latest(workflowId)
                .orElseThrow(() -> new CheckpointException("No checkpoint to resume workflow '" + workflowId + "' from"));
        if (!checkpoint.resumable()) {
            throw new CheckpointException("Workflow '" + workflowId + "' cannot be resumed: "
                    + (checkpoint.finished() ? "it already finished" : "its checkpoint is not from a tool-calling run"));
        }
        return checkpoint;
    }

    private LlmResponse resumeFrom(String workflowId, Checkpoint checkpoint, ToolExecutor executor, RunClaim claim) {
        ResumableRun run = checkpoint.run();
        log.info("Resuming workflow '{}' at step {} (iteration {} of {}){}", workflowId, checkpoint.step(), run.iteration(),
                run.maxIterations(), claim == null ? "" : " after its approvals");
        return run(ToolRun.resume(workflowId, checkpoint, executor).claimed(claim));
    }

    /** Runs {@code toolRun} to its final answer, inside one observer span. */
    public LlmResponse run(ToolRun toolRun) {
        ExecutionObserver.Span runSpan = observer.runStarted(toolRun.call().agentId(), toolRun.call().workflowId());
        toolRun.span(runSpan);
        try {
            LlmResponse response = iterate(toolRun);
            runSpan.end(null);
            return response;
        } catch (RuntimeException | Error failure) {
            runSpan.end(failure);
            throw failure;
        }
    }

    private LlmResponse iterate(ToolRun toolRun) {
        ResumableRun run = toolRun.run();
        List<LlmMessage> messages = toolRun.messages();
        Integer nextStep = toolRun.call().step();
        int iteration = run.iteration();
        Checkpoint resumeFrom = toolRun.resumeFrom();
        if (resumeFrom != null) {
            nextStep = resumeFrom.step() + 1;
            if (!resumeFrom.pendingToolCalls().isEmpty()) {
                run = run.awaiting(List.of()); // the turn resumes with its decisions: what it checkpoints is no longer paused
                turn(toolRun, resumeFrom.step(), run, resumeFrom.pendingToolCalls(), resumeFrom.completedToolResults(), null);
            }
        }
        while (true) {
            if (!toolRun.tally().lastTurnExempt()) {
                iteration++;
            }
            CallRecord completed;
            try {
                completed = call(toolRun, nextStep);
            } catch (ExecutionLimitException refused) {
                if (!actionsOf(toolRun).finishes(refused.kind())) {
                    throw refused;
                }
                return conclude(toolRun, nextStep, run.atIteration(iteration), refused);
            }
            toolRun.tally().modelCall(completed);
            LlmResponse response = completed.response().withRunTotals(toolRun.tally().totals());
            ResumableRun progress = run.atIteration(iteration);
            int step = completed.step() == null ? 0 : completed.step();
            nextStep = completed.step() == null ? null : step + 1;
            messages.add(response.toAssistantMessage());
            if (!response.hasToolCalls()) {
                checkpointer.turn(toolRun.call(), step, messages, List.of(), Map.of(), toolRun.withTotals(progress), true);
                return response;
            }
            if (iteration >= run.maxIterations()) {
                checkpointer.turn(toolRun.call(), step, messages, List.of(), Map.of(), toolRun.withTotals(progress), true);
                log.debug("Tool run of agent '{}' stopped after {} iterations", toolRun.call().agentId(), iteration);
                return response.withFinishReason(LlmResponse.FINISH_MAX_ITERATIONS);
            }
            turn(toolRun, step, progress, response.toolCalls(), Map.of(), null);
        }
    }

    private LimitActions actionsOf(ToolRun toolRun) {
        return limits == null ? LimitActions.FAIL : limits.actionsOf(toolRun.call().agentId());
    }

    /** An ordinary call of the run: held to the limits less their reserve when its agent finishes at a limit. */
    private CallRecord call(ToolRun toolRun, Integer step) {
        GatewayCall next = toolRun.nextCall(step);
        if (!actionsOf(toolRun).finishesAny()) {
            return pipeline.execute(next, false, null, toolRun.span());
        }
        return LimitHold.with(LimitHold.Mode.HELD_BACK, () -> pipeline.execute(next, false, null, toolRun.span()));
    }

    /**
     * The run's last call, when the next ordinary one would break a limit that finishes: without
     * tools, asking the model to conclude, reserved against the full limits (so it may use what they
     * kept back, and no more). Refused too, it ends the run with that refusal.
     */
    private LlmResponse conclude(ToolRun toolRun, Integer step, ResumableRun progress, ExecutionLimitException refused) {
        LlmMessage ask = LlmMessage.user(concludePrompt(refused.kind()));
        List<LlmMessage> messages = toolRun.messages();
        GatewayCall last = toolRun.nextCall(step).toBuilder().message(ask).tools(List.of()).build();
        CallRecord completed;
        try {
            completed = LimitHold.with(LimitHold.Mode.FINISHING, () -> pipeline.execute(last, false, null, toolRun.span()));
        } catch (ExecutionLimitException alsoRefused) {
            alsoRefused.addSuppressed(refused);
            throw alsoRefused;
        }
        toolRun.tally().modelCall(completed);
        LlmResponse response = completed.response().withRunTotals(toolRun.tally().totals());
        messages.add(ask);
        messages.add(response.toAssistantMessage());
        checkpointer.turn(toolRun.call(), completed.step() == null ? 0 : completed.step(), messages, List.of(), Map.of(),
                progress, true);
        log.info("Run of agent '{}' concluded at its {} limit", toolRun.call().agentId(), refused.kind());
        return response.withFinishReason(LimitActions.finishReason(refused.kind()));
    }

    private static String concludePrompt(LimitKind kind) {
        return "This run has reached its " + kind.name().toLowerCase(java.util.Locale.ROOT) + " limit: no more tools can be"
                + " called. Conclude now: give your best final answer with what you already have.";
    }

    /**
     * One turn of tool calls. Each finished tool is checkpointed on its own thread the moment it
     * finishes (one at a time), so a crash while other tools of the turn still run cannot make it
     * run again.
     *
     * @param alreadyCompleted results of this turn obtained before a resume, by tool-call id; not run again
     * @param events           told of each tool's start and result (a streamed run), or {@code null}
     */
    void turn(ToolRun toolRun, int step, ResumableRun progress, List<ToolCall> calls, Map<String, String> alreadyCompleted,
              ToolRunStream.ToolEvents events) {
        List<LlmMessage> messages = toolRun.messages();
        Map<String, String> completed = new LinkedHashMap<>(alreadyCompleted);
        checkpointer.turn(toolRun.call(), step, messages, calls, completed, toolRun.withTotals(progress), false);
        if (events != null) {
            calls.stream().filter(call -> !alreadyCompleted.containsKey(call.id())).forEach(events::started);
        }
        ToolTurnExecutor.TurnResults results = turns.execute(toolRun.scope(), calls, toolRun.offered(), toolRun.executor(),
                alreadyCompleted, approving(toolRun), toolRun.span(), (toolCall, result) -> {
                    completed.put(toolCall.id(), result.content());
                    checkpointer.turn(toolRun.call(), step, messages, calls, completed, toolRun.withTotals(progress), false);
                    if (events != null) {
                        events.finished(toolCall, result.content());
                    }
                });
        if (results.paused()) {
            List<String> awaiting = results.awaitingApproval().stream().map(ToolCall::id).toList();
            checkpointer.turn(toolRun.call(), step, messages, calls, completed, toolRun.withTotals(progress).awaiting(awaiting),
                    false);
            throw approvals.ask(toolRun.call(), results.awaitingApproval());
        }
        messages.addAll(results.messages());
        checkpointer.turn(toolRun.call(), step, messages, List.of(), Map.of(), toolRun.withTotals(progress), false);
        if (toolRun.claim() != null) {
            approvals.finish(toolRun.claim());
            toolRun.claimed(null);
        }
    }

    /** How this turn's approval-required tools are approved: by the decisions of its claim, or by pausing for one. */
    private ToolTurnExecutor.Approving approving(ToolRun toolRun) {
        boolean canPause = RunApprovals.canPause(approvals, toolRun.call(), checkpointer.enabled());
        RunClaim claim = toolRun.claim();
        return claim == null && !canPause ? ToolTurnExecutor.Approving.NONE
                : new ToolTurnExecutor.Approving(canPause, claim == null ? Map.of() : claim.decisionsByToolCall());
    }
}
