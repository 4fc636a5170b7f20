package dev.agentgateway.core.limits;

/** What a tool-calling run does when its next call would break a limit. */
public enum OnLimit {
    /** The call is refused and the run ends with the limit's exception (the default). */
    FAIL,
    /**
     * One last call without tools asks the model to conclude with what it has, paid from a reserve
     * the limit keeps back for it; the run ends with that answer, its finish reason naming the limit.
     */
    FINISH
}
