package dev.agentgateway.core.tools;

import dev.agentgateway.core.GatewayException;

/** A model asked for a tool that does not exist. */
public class UnknownToolException extends GatewayException {

    private final String toolName;

    public UnknownToolException(String toolName) {
        super("unknown tool '" + toolName + "'");
        this.toolName = toolName;
    }

    public String toolName() {
        return toolName;
    }
}
