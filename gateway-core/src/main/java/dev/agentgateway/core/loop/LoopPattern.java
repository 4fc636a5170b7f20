package dev.agentgateway.core.loop;

/** The kinds of loop the gateway recognises. */
public enum LoopPattern {
    IDENTICAL_OUTPUT("identical output"),
    NO_STATE_CHANGE("no state change"),
    PING_PONG("ping-pong"),
    REPEATED_TOOL_CALL("repeatedly calling tool"),
    /** A streamed answer that ends in one block of text repeated over and over ({@link StreamRepetitionRule}). */
    REPEATED_STREAM_OUTPUT("repeated text in a stream");

    private final String description;

    LoopPattern(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
