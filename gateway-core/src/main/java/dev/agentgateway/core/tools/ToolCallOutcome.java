package dev.agentgateway.core.tools;

/**
 * How one tool call of a run ended. {@code TRUNCATED}: the tool succeeded and its result was cut to
 * the size limit before it went back to the model; {@code LIMIT_REACHED}: the call was not run
 * because a limit of the tool (calls per run or per agent, or the budget its cost needs) was reached.
 */
public enum ToolCallOutcome {
    SUCCESS, ERROR, TIMEOUT, UNKNOWN_TOOL, INVALID_ARGUMENTS, DENIED, TRUNCATED, LIMIT_REACHED;

    public boolean isSuccess() {
        return this == SUCCESS || this == TRUNCATED;
    }
}
