package dev.agentgateway.core.tools;

import dev.agentgateway.core.GatewayException;

/** An agent tried to use, or was offered, a tool it may not use. */
public class ToolAccessDeniedException extends GatewayException {

    private final String agentId;
    private final String toolName;
    private final AccessOutcome outcome;

    public ToolAccessDeniedException(String agentId, String toolName, AccessOutcome outcome, String reason) {
        super("Agent '" + agentId + "' may not use tool '" + toolName + "': " + reason);
        this.agentId = agentId;
        this.toolName = toolName;
        this.outcome = outcome;
    }

    public String agentId() {
        return agentId;
    }

    public String toolName() {
        return toolName;
    }

    public AccessOutcome outcome() {
        return outcome;
    }
}
