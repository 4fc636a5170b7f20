package dev.agentgateway.core;

/** The agent is paused: its calls are refused until {@code resumeAgent(agentId)}. */
public class AgentPausedException extends GatewayException {

    private final String agentId;

    public AgentPausedException(String agentId) {
        super("Agent '" + agentId + "' is paused: its call was refused (resumeAgent(\"" + agentId + "\") lifts the pause)");
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }
}
