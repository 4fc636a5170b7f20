package dev.agentgateway.core.loop;

import dev.agentgateway.core.GatewayException;

import java.util.List;

/** A run was stopped because it is going round in circles. */
public class LoopDetectedException extends GatewayException {

    private final LoopPattern pattern;
    private final List<String> agents;
    private final String workflowId;
    private final int occurrences;

    public LoopDetectedException(LoopPattern pattern, List<String> agents, String workflowId, int occurrences, String detail) {
        super("Loop detected (" + pattern.description() + ") for agent" + (agents.size() > 1 ? "s " : " ")
                + String.join(" and ", agents.stream().map(a -> "'" + a + "'").toList())
                + (workflowId == null ? "" : " in workflow '" + workflowId + "'") + ": " + detail);
        this.pattern = pattern;
        this.agents = List.copyOf(agents);
        this.workflowId = workflowId;
        this.occurrences = occurrences;
    }

    public LoopPattern pattern() {
        return pattern;
    }

    /** The agents caught in the loop: one, or two for a ping-pong. */
    public List<String> agents() {
        return agents;
    }

    /** The run, or {@code null} when loop state was kept per agent. */
    public String workflowId() {
        return workflowId;
    }

    /** How many times the pattern repeated when the run was stopped. */
    public int occurrences() {
        return occurrences;
    }
}
