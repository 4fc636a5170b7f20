package dev.agentgateway.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a stream took from asking the provider to its first piece of output (text or a tool
 * call): told to {@link GatewayListener#onTimeToFirstToken} when the stream
 * ends, whichever way, if any output arrived.
 *
 * @param call    the streamed call (its request names the provider and model)
 * @param elapsed from the provider's stream being opened to its first output
 */
public record TimeToFirstToken(CallContext call, Duration elapsed) {

    public TimeToFirstToken {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
