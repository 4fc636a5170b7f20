package dev.agentgateway.core.stream;

import dev.agentgateway.core.GatewayException;

/**
 * A stream was cut off because its output, counted as it arrived, reached what the call reserved
 * for output (the request's max tokens), and its client cannot make the provider stop there
 * itself. Counted with the model's tokenizer where it is public, else one token per UTF-8 byte,
 * which never counts less than the provider does: the call is cut no later than its reservation.
 */
public class OutputLimitExceededException extends GatewayException {

    private final String agentId;
    private final long outputTokens;
    private final long limitTokens;

    public OutputLimitExceededException(String agentId, long outputTokens, long limitTokens) {
        super("Stream of agent '" + agentId + "' cut off: its output reached " + outputTokens + " tokens, the "
                + limitTokens + " reserved for it (its client cannot make the provider stop at max tokens)");
        this.agentId = agentId;
        this.outputTokens = outputTokens;
        this.limitTokens = limitTokens;
    }

    public String agentId() {
        return agentId;
    }

    /** Output tokens counted when the stream was cut. */
    public long outputTokens() {
        return outputTokens;
    }

    /** The output tokens reserved: the request's max tokens. */
    public long limitTokens() {
        return limitTokens;
    }
}
