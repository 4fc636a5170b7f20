package dev.agentgateway.core.tools;

/** How one tool call of a run ended. */
public enum ToolCallOutcome {
    SUCCESS, ERROR, TIMEOUT, UNKNOWN_TOOL, INVALID_ARGUMENTS, DENIED;

    public boolean isSuccess() {
        return this == SUCCESS;
    }
}
