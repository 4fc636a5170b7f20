package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.TimeToFirstToken;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.internal.stream.ChunkGovernor;
import dev.agentgateway.core.internal.stream.GovernedStream;
import dev.agentgateway.core.internal.stream.GovernedStream.Ending;
import dev.agentgateway.core.internal.stream.LiveStreams;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.stream.StreamEnd;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * How a stream of {@link StreamCalls} ends in the books, once its stream has ended: a completed
 * stream settles and finishes like a blocking call; one that failed, was cancelled or cut off is
 * charged what was sent and received (nothing when the provider failed before its first chunk)
 * and recorded as failed, with its partial answer and, for a cut-off, what cut it. Apart from
 * {@link StreamCalls}, which only opens streams, because none of this runs until a stream is over.
 */
final class StreamSettlement {

    private final CallPipeline pipeline;
    private final AttemptStage attempts;
    private final SettleStage settle;
    private final LimitEnforcer limits;
    private final ProviderRegistry providers;
    private final Refusals refusals;
    private final Events events;
    private final LiveStreams live;

    StreamSettlement(CallPipeline pipeline, AttemptStage attempts, SettleStage settle, LimitEnforcer limits,
                     ProviderRegistry providers, Refusals refusals, Events events, LiveStreams live) {
        this.pipeline = pipeline;
        this.attempts = attempts;
        this.settle = settle;
        this.limits = limits;
        this.providers = providers;
        this.refusals = refusals;
        this.events = events;
        this.live = live;
    }

    /** The settle of one attempt's stream; its {@code stream} is set once the stream exists. */
    <O> Settler<O> settler(GatewayCall call, PreparedCall prepared, Function<CallRecord, O> last, boolean checkpointCall) {
        return new Settler<>(call, prepared, last, checkpointCall);
    }

    /** The attempt's settle, once, however its stream ended. */
    final class Settler<O> implements ChunkGovernor.Settler<O> {
        private final GatewayCall call;
        private final PreparedCall prepared;
        private final Function<CallRecord, O> last;
        private final boolean checkpointCall;
        GovernedStream<?, O> stream;

        Settler(GatewayCall call, PreparedCall prepared, Function<CallRecord, O> last, boolean checkpointCall) {
            this.call = call;
            this.prepared = prepared;
            this.last = last;
            this.checkpointCall = checkpointCall;
        }

        @Override
        public Ending<O> settle(StreamEnd end, LlmResponse response, Throwable cause, ChunkGovernor.StreamStats stats) {
            live.remove(stream);
            if (stats.firstOutputNanos() >= 0) {
                events.timeToFirstToken(new TimeToFirstToken(prepared.context(), Duration.ofNanos(stats.firstOutputNanos())));
            }
            if (end == StreamEnd.COMPLETED) {
                return completed(response);
            }
            Throwable error = cause;
            if (end == StreamEnd.FAILED && cause instanceof RuntimeException failure) {
                error = providers.scrubbed(prepared.providerId(), failure); // typed, and free of secrets
            }
            if (end == StreamEnd.FAILED && stats.chunks() == 0) {
                attempts.fail(prepared, error); // the provider failed before it sent anything: nothing to charge
                return Ending.failed(error);
            }
            endedEarly(end, response, error);
            return end == StreamEnd.CANCELLED ? Ending.complete(null) : Ending.failed(error);
        }

        private Ending<O> completed(LlmResponse response) {
            try {
                settle.settle(prepared, response);
                CallRecord success = pipeline.complete(call, prepared, checkpointCall);
                return Ending.complete(last.apply(success));
            } catch (RuntimeException | Error failure) {
                prepared.release();
                return Ending.failed(failure);
            }
        }

        /** Charged what was sent and received, recorded failed with the partial answer and why. */
        private void endedEarly(StreamEnd end, LlmResponse partial, Throwable error) {
            CallRecord charged = settle.settle(prepared, partial,
                    error != null ? error : new CancellationException("The subscriber cancelled the stream"));
            limits.countFailedCall(call.agentId(), call.tenant(), call.workflowId());
            String message = error == null ? "The subscriber cancelled the stream" : refusals.describe(error);
            String refusedBy = refusedBy(end, error);
            CallRecord ended = charged.endedEarly(error, message, refusedBy);
            if (refusedBy != null) {
                refusals.record(ended); // logged as a refusal is
            } else {
                events.record(ended);
            }
        }

        private String refusedBy(StreamEnd end, Throwable error) {
            return switch (end) {
                case STOPPED -> "kill-switch";
                case PAUSED -> "pause:" + call.agentId();
                case TIME_LIMIT -> "global";
                case OUTPUT_LIMIT -> "output-limit";
                case REPETITION -> "loop:" + ((LoopDetectedException) error).pattern().name().toLowerCase(Locale.ROOT);
                default -> null;
            };
        }
    }
}
