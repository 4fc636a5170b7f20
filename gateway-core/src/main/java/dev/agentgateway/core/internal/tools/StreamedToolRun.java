package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.internal.RunCheckpointer;
import dev.agentgateway.core.internal.StreamCalls;
import dev.agentgateway.core.internal.stream.ToolRunStream;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.stream.StreamEvent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * The turns of one streamed tool-calling run: each iteration a governed stream through
 * {@link StreamCalls} (the same stages as {@code callWithTools}' blocking calls), and between
 * them the tool turn of {@link ToolLoop}, under the same access rules and checkpoints (before the
 * tools run, as each finishes, after the turn; finished on the final answer).
 */
public final class StreamedToolRun implements ToolRunStream.Turns {

    private final StreamCalls streams;
    private final ToolLoop loop;
    private final RunCheckpointer checkpointer;
    private final ToolRun toolRun;
    private Integer nextStep;
    private int iteration;
    private volatile int lastStep;

    public StreamedToolRun(StreamCalls streams, ToolLoop loop, RunCheckpointer checkpointer, ToolRun toolRun) {
        this.streams = streams;
        this.loop = loop;
        this.checkpointer = checkpointer;
        this.toolRun = toolRun;
        this.nextStep = toolRun.call().step();
        this.iteration = toolRun.run().iteration();
    }

    @Override
    public Flow.Publisher<StreamEvent> open(int turn) {
        if (!toolRun.tally().lastTurnExempt()) {
            iteration++;
        }
        return streams.events(toolRun.nextCall(nextStep), turn, false, toolRun.span(), record -> {
            toolRun.tally().modelCall(record);
            lastStep = record.step() == null ? 0 : record.step();
            nextStep = record.step() == null ? null : lastStep + 1;
            return StreamEvent.Completed.of(record.response());
        });
    }

    @Override
    public LlmResponse afterTurn(int turn, LlmResponse answer, ToolRunStream.ToolEvents events) {
        ResumableRun progress = toolRun.run().atIteration(iteration);
        toolRun.messages().add(answer.toAssistantMessage());
        if (!answer.hasToolCalls()) {
            checkpointer.turn(toolRun.call(), lastStep, toolRun.messages(), List.of(), Map.of(), toolRun.withTotals(progress), true);
            return answer.withRunTotals(toolRun.tally().totals());
        }
        if (iteration >= toolRun.run().maxIterations()) {
            checkpointer.turn(toolRun.call(), lastStep, toolRun.messages(), List.of(), Map.of(), toolRun.withTotals(progress), true);
            return answer.withFinishReason(LlmResponse.FINISH_MAX_ITERATIONS).withRunTotals(toolRun.tally().totals());
        }
        loop.turn(toolRun, lastStep, progress, answer.toolCalls(), Map.of(), events);
        return null;
    }
}
