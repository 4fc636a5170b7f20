package dev.agentgateway.core.internal;

import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayControl;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.internal.stream.GovernedStream;
import dev.agentgateway.core.internal.stream.GovernedStream.Cut;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.stream.StreamEnd;

import java.time.Duration;

/**
 * Why the gateway cuts a stream of {@link StreamCalls} short, apart from the stream's own meters
 * (output cap, repetition, which {@code ChunkGovernor} keeps): the operator's kill switch and
 * pause, the global time limit and the stream time-out. One place for them, so a cut checked as a
 * chunk arrives and the same cut fired by the timer carry the same error.
 */
final class StreamCuts {

    private final GatewayControl control;
    private final LimitEnforcer limits;
    private final StreamCalls.Settings settings;

    StreamCuts(GatewayControl control, LimitEnforcer limits, StreamCalls.Settings settings) {
        this.control = control;
        this.limits = limits;
        this.settings = settings;
    }

    /** The cuts that need no timer: checked as each chunk arrives. */
    Cut watch(GatewayCall call) {
        if (control.isStopped()) {
            return new Cut(StreamEnd.STOPPED, new GatewayStoppedException(call.agentId()));
        }
        if (control.isPaused(call.agentId())) {
            return new Cut(StreamEnd.PAUSED, new AgentPausedException(call.agentId()));
        }
        ExecutionLimits current = limits.limits();
        if (current.maxTime() != null && limits.elapsedSeconds() >= current.maxTimeSeconds()) {
            return timeLimit(call, current);
        }
        return null;
    }

    private Cut timeLimit(GatewayCall call, ExecutionLimits current) {
        return new Cut(StreamEnd.TIME_LIMIT, new TimeLimitExceededException(call.agentId(), limits.elapsedSeconds(),
                current.maxTimeSeconds()));
    }

    /** The cuts that must not wait for a chunk: the time limit and the call's time-out, on the timer. */
    void deadlines(GatewayCall call, PreparedCall prepared, GovernedStream<?, ?> stream) {
        ExecutionLimits current = limits.limits();
        if (current.maxTime() != null) {
            double left = current.maxTimeSeconds() - limits.elapsedSeconds();
            stream.deadline(settings.timer(), Duration.ofNanos((long) Math.max(0, left * 1e9)), () -> timeLimit(call, current));
        }
        if (settings.timeout() != null) {
            Duration timeout = settings.timeout();
            stream.deadline(settings.timer(), timeout, () -> new Cut(StreamEnd.TIMED_OUT, new ProviderTimeoutException(
                    prepared.providerId(), "The stream of provider '" + prepared.providerId() + "' did not finish within "
                    + timeout.toMillis() + " ms", null)));
        }
    }
}
