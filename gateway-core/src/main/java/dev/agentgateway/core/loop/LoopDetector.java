package dev.agentgateway.core.loop;

import dev.agentgateway.core.loop.internal.WindowedLoopDetector;
import dev.agentgateway.core.provider.ToolCall;

import java.util.List;

/**
 * Watches the calls of each run and throws {@link LoopDetectedException} when one repeats
 * itself. A run is a workflow id, or the agent id when a call has no workflow.
 */
public interface LoopDetector {

    /**
     * Records one answered call and checks the run.
     *
     * @param output    the answer's text; {@code null} or blank answers (tool-call turns) are not compared
     * @param stateHash a fingerprint of the state passed with the call, or {@code null} without state
     * @param toolCalls the tool calls the model asked for
     */
    void record(String workflowId, String agentId, String output, Integer stateHash, List<ToolCall> toolCalls);

    /** Forgets one run. */
    void forget(String workflowId, String agentId);

    void reset();

    /** How many loops were detected since the last reset. */
    long detectedCount();

    /**
     * The gateway's detector: each run's recent calls in a window of {@code config}'s size, at
     * most {@code maxRuns} runs remembered at once (the least recently used are dropped).
     */
    static LoopDetector windowed(LoopDetectionConfig config, int maxRuns) {
        return new WindowedLoopDetector(config, maxRuns);
    }
}
