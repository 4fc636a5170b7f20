package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.checkpoint.ResumableRun;
import dev.agentgateway.core.state.SharedState;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stage 7, checkpoint, and the checkpoints of a tool-calling run: when checkpoints are on, every
 * call of a workflow run saves the conversation so far, the state, the metrics and (in a tool
 * run) how to resume. A store that fails stops the call with {@link CheckpointException}.
 */
public final class RunCheckpointer {

    private final CheckpointStore store;
    private final boolean enabled;
    private final LimitEnforcer limits;
    private final Clock clock;

    public RunCheckpointer(CheckpointStore store, boolean enabled, LimitEnforcer limits, Clock clock) {
        this.store = store;
        this.enabled = enabled;
        this.limits = limits;
        this.clock = clock;
    }

    public CheckpointStore store() {
        return store;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The checkpoint of a plain call of a run: the conversation with its answer. */
    public void afterCall(GatewayCall call, CallRecord success) {
        if (enabled && call.workflowId() != null) {
            List<LlmMessage> conversation = new ArrayList<>(call.messages().size() + 1);
            conversation.addAll(call.messages());
            conversation.add(success.response().toAssistantMessage());
            save(call, success.step(), conversation, List.of(), Map.of(), null, false);
        }
    }

    /** A checkpoint of a tool-calling run: between turns, or with a turn's pending and completed tool calls. */
    public void turn(GatewayCall call, int step, List<LlmMessage> messages, List<ToolCall> pending,
                     Map<String, String> completed, ResumableRun run, boolean finished) {
        if (enabled && call.workflowId() != null) {
            save(call, step, messages, pending, completed, run, finished);
        }
    }

    private void save(GatewayCall call, int step, List<LlmMessage> messages, List<ToolCall> pending,
                      Map<String, String> completed, ResumableRun run, boolean finished) {
        Map<String, Object> state = call.state() instanceof SharedState shared ? shared.toMap() : SharedState.copyOf(castState(call.state()));
        try {
            store.save(new Checkpoint(call.workflowId(), step, call.agentId(), clock.instant(), state, limits.metricsMap(),
                    messages, pending, completed, run, finished));
        } catch (RuntimeException e) {
            throw new CheckpointException("Could not save checkpoint " + step + " of workflow '" + call.workflowId() + "'", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castState(Object state) {
        return state == null ? Map.of() : (Map<String, ?>) state;
    }
}
