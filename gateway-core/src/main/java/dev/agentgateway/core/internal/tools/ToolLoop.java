package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.internal.CallPipeline;
import dev.agentgateway.core.internal.RunCheckpointer;
import dev.agentgateway.core.internal.stream.ToolRunStream;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.tools.ToolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool loop: calls the model through the {@link CallPipeline} (each iteration a governed
 * call), runs the tools it asks for, sends the results back, until it answers without tools or
 * the run's iteration limit is reached. Checkpoints each turn: before its tools run, after each
 * one finishes, and after the turn.
 */
public final class ToolLoop {

    private static final Logger log = LoggerFactory.getLogger("dev.agentgateway.core.Gateway");

    private final CallPipeline pipeline;
    private final RunCheckpointer checkpointer;
    private final ToolTurnExecutor turns;
    private final ExecutionObserver observer;

    public ToolLoop(CallPipeline pipeline, RunCheckpointer checkpointer, ToolTurnExecutor turns, ExecutionObserver observer) {
        this.pipeline = pipeline;
        this.checkpointer = checkpointer;
        this.turns = turns;
        this.observer = observer;
    }

    /**
     * Continues the tool-calling run of {@code workflowId} from its latest checkpoint: tool calls
     * that finished before the interruption are not run again.
     *
     * @throws CheckpointException when there is no checkpoint, or the run already finished
     */
    public LlmResponse resume(String workflowId, ToolExecutor executor) {
        Checkpoint checkpoint = checkpointer.store().latest(workflowId)
                .orElseThrow(() -> new CheckpointException("No checkpoint to resume workflow '" + workflowId + "' from"));
        if (!checkpoint.resumable()) {
            throw new CheckpointException("Workflow '" + workflowId + "' cannot be resumed: "
                    + (checkpoint.finished() ? "it already finished" : "its checkpoint is not from a tool-calling run"));
        }
        ResumableRun run = checkpoint.run();
        log.info("Resuming workflow '{}' at step {} (iteration {} of {})", workflowId, checkpoint.step(), run.iteration(),
                run.maxIterations());
        return run(ToolRun.resume(workflowId, checkpoint, executor));
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
                turn(toolRun, resumeFrom.step(), run, resumeFrom.pendingToolCalls(), resumeFrom.completedToolResults(), null);
            }
        }
        while (true) {
            iteration++;
            CallRecord completed = pipeline.execute(toolRun.nextCall(nextStep), false, null, toolRun.span());
            LlmResponse response = completed.response();
            ResumableRun progress = run.atIteration(iteration);
            int step = completed.step() == null ? 0 : completed.step();
            nextStep = completed.step() == null ? null : step + 1;
            messages.add(response.toAssistantMessage());
            if (!response.hasToolCalls()) {
                checkpointer.turn(toolRun.call(), step, messages, List.of(), Map.of(), progress, true);
                return response;
            }
            if (iteration >= run.maxIterations()) {
                checkpointer.turn(toolRun.call(), step, messages, List.of(), Map.of(), progress, true);
                log.debug("Tool run of agent '{}' stopped after {} iterations", toolRun.call().agentId(), iteration);
                return response.withFinishReason(LlmResponse.FINISH_MAX_ITERATIONS);
            }
            turn(toolRun, step, progress, response.toolCalls(), Map.of(), null);
        }
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
        checkpointer.turn(toolRun.call(), step, messages, calls, completed, progress, false);
        if (events != null) {
            calls.stream().filter(call -> !alreadyCompleted.containsKey(call.id())).forEach(events::started);
        }
        List<LlmMessage> results = turns.execute(toolRun.scope(), calls, toolRun.offered(), toolRun.executor(), alreadyCompleted,
                toolRun.span(), (toolCall, result) -> {
                    completed.put(toolCall.id(), result.content());
                    checkpointer.turn(toolRun.call(), step, messages, calls, completed, progress, false);
                    if (events != null) {
                        events.finished(toolCall, result.content());
                    }
                });
        messages.addAll(results);
        checkpointer.turn(toolRun.call(), step, messages, List.of(), Map.of(), progress, false);
    }
}
