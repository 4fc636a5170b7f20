package dev.agentgateway.core.stream;

/**
 * How a governed stream ended. Every stream ends in exactly one of these, and is settled once for it:
 * charged what the provider reported, or, where it reported nothing, what the tokenizer counts of
 * what was sent and received. All but {@link #COMPLETED} leave the call failed in the history with
 * this end's {@link #finishReason()}.
 */
public enum StreamEnd {

    /** The provider finished the answer; the finish reason is the provider's. */
    COMPLETED(null),
    /** The provider failed half way ({@code ProviderException}); the partial answer is kept. */
    FAILED("error"),
    /** The subscriber cancelled; the provider's stream is cancelled too. */
    CANCELLED("cancelled"),
    /** The call's own time-out passed before the provider finished ({@code ProviderTimeoutException}). */
    TIMED_OUT("timeout"),
    /** The gateway's time limit passed mid-stream ({@code TimeLimitExceededException}). */
    TIME_LIMIT("time_limit"),
    /** An operator stopped the gateway mid-stream ({@code GatewayStoppedException}). */
    STOPPED("stopped"),
    /** An operator paused the agent mid-stream ({@code AgentPausedException}). */
    PAUSED("paused"),
    /**
     * Output counted as it arrived reached what was reserved for it, on a client that cannot bound
     * its output ({@code OutputLimitExceededException}).
     */
    OUTPUT_LIMIT("output_limit"),
    /** The output degenerated into repetition ({@code LoopDetectedException}, {@code REPEATED_STREAM_OUTPUT}). */
    REPETITION("repetition");

    private final String finishReason;

    StreamEnd(String finishReason) {
        this.finishReason = finishReason;
    }

    /** The finish reason a stream that ended so has in the history; {@code null} for {@link #COMPLETED} (the provider's). */
    public String finishReason() {
        return finishReason;
    }

    /** Whether the gateway cut the stream off (rather than the provider or the subscriber ending it). */
    public boolean isCutOff() {
        return this != COMPLETED && this != FAILED && this != CANCELLED;
    }
}
