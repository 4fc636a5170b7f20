package dev.agentgateway.core.internal;

import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayControl;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.StreamRepetitionRule;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.stream.OutputLimitExceededException;
import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.stream.StreamSource;
import dev.agentgateway.core.TimeToFirstToken;
import dev.agentgateway.core.internal.stream.ChunkGovernor;
import dev.agentgateway.core.internal.stream.GovernedStream;
import dev.agentgateway.core.internal.stream.GovernedStream.Cut;
import dev.agentgateway.core.internal.stream.GovernedStream.Ending;
import dev.agentgateway.core.internal.stream.LiveStreams;
import dev.agentgateway.core.stream.StreamTimer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * The streaming call: the same stages as a blocking call around an attempt that settles when its
 * stream ends. When a subscriber arrives: control and offered-tool check, then through the call
 * strategy reserve and before-call hooks, and only then is the provider's stream subscribed (so
 * nothing is requested of the provider before the hooks ran). When the stream ends: settle (the
 * provider's usage, else the tokens counted), then for a completed stream loop check, record,
 * checkpoint and after-call hooks. A stream that failed, was cancelled or cut off is charged what
 * was sent and received (nothing when the provider failed before its first chunk) and recorded as
 * failed, with its partial answer, its finish reason and, for a cut-off, what cut it.
 */
public final class StreamCalls {

    /** What the stage needs beyond the pipeline's stages. */
    public record Settings(TokenCounter tokens, StreamTimer timer, Duration timeout, StreamRepetitionRule repetition,
                           Clock clock) {
    }

    private final CallPipeline pipeline;
    private final CallStrategy strategy;
    private final AttemptStage attempts;
    private final SettleStage settle;
    private final LimitEnforcer limits;
    private final GatewayControl control;
    private final ProviderRegistry providers;
    private final Refusals refusals;
    private final Events events;
    private final Settings settings;
    private final LiveStreams live;

    public StreamCalls(CallPipeline pipeline, CallStrategy strategy, AttemptStage attempts, SettleStage settle,
                       LimitEnforcer limits, GatewayControl control, ProviderRegistry providers, Refusals refusals,
                       Events events, Settings settings, LiveStreams live) {
        this.events = events;
        this.pipeline = pipeline;
        this.strategy = strategy;
        this.attempts = attempts;
        this.settle = settle;
        this.limits = limits;
        this.control = control;
        this.providers = providers;
        this.refusals = refusals;
        this.settings = settings;
        this.live = live;
    }

    /**
     * A governed stream of the call's registered provider: its chunks as {@link StreamEvent.Output}s
     * of turn {@code turn}, then one {@link StreamEvent.Completed}. Cold: each subscriber is one call.
     *
     * @param scoped a call whose scope is resolved (on the caller's thread, where its context is)
     */
    public Flow.Publisher<StreamEvent> events(GatewayCall scoped, int turn, boolean checkpointCall, ExecutionObserver.Span parent) {
        return events(scoped, turn, checkpointCall, parent, record -> StreamEvent.Completed.of(record.response()));
    }

    /** As {@link #events}, its last event made from the call's success record by {@code last}. */
    public Flow.Publisher<StreamEvent> events(GatewayCall scoped, int turn, boolean checkpointCall, ExecutionObserver.Span parent,
                                             Function<CallRecord, StreamEvent> last) {
        return subscriber -> this.<LlmChunk, StreamEvent>open(scoped, null, List::of,
                chunk -> new StreamEvent.Output(chunk, turn), last, checkpointCall, parent, subscriber);
    }

    /** A governed stream a framework makes ({@link StreamSource}), its elements handed on unchanged. */
    public <T> Flow.Publisher<T> elements(GatewayCall scoped, StreamSource<T> source) {
        return subscriber -> open(scoped, source, source::chunks, Function.identity(), record -> null, true,
                ExecutionObserver.Span.NOOP, subscriber);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <I, O> void open(GatewayCall call, StreamSource<I> source, Function<I, List<LlmChunk>> reader,
                             Function<I, O> delivery, Function<CallRecord, O> last, boolean checkpointCall,
                             ExecutionObserver.Span parent, Flow.Subscriber<? super O> subscriber) {
        Opened<I> opened;
        try {
            String providerId = ProviderRegistry.normalizeId(call.provider());
            LlmClient override = source == null ? null : new SourceClient(source);
            pipeline.admit(call, providerId, override);
            opened = strategy.execute(new CallTarget(call.agentId(), providerId, call.model(), 1),
                    target -> attempt(call, target, providerId.equals(target.provider()) ? source : null, override, parent));
        } catch (RuntimeException | Error refused) {
            refuse(subscriber, refused);
            return;
        }
        PreparedCall prepared = opened.prepared();
        Settler<O> settler = new Settler<>(call, prepared, last, checkpointCall);
        long cap = opened.boundsOutput() ? 0 : prepared.request().maxTokens();
        ChunkGovernor<I, O> governor = new ChunkGovernor<>(new ChunkGovernor.Settings<>(reader, delivery, cap,
                settings.repetition(), call.agentId(), call.workflowId()), prepared.request(), settings.tokens(),
                () -> watch(call), settler);
        GovernedStream<I, O> stream = new GovernedStream<>(subscriber, governor);
        settler.stream = stream;
        live.add(stream, call.agentId());
        stream.start();
        deadlines(call, prepared, stream);
        try {
            opened.publisher().subscribe(stream);
        } catch (RuntimeException | Error failure) {
            stream.onError(failure);
        }
    }

    /** One attempt's opening: reserve and hooks, then the provider's stream made (not yet subscribed). */
    private <I> Opened<I> attempt(GatewayCall call, CallTarget target, StreamSource<I> source, LlmClient override,
                                  ExecutionObserver.Span parent) {
        PreparedCall prepared = attempts.open(call, target, source == null ? null : override, parent);
        try {
            if (source != null) {
                return new Opened<>(prepared, source.open(prepared.request()), source.boundsOutput());
            }
            @SuppressWarnings("unchecked")
            Flow.Publisher<I> chunks = (Flow.Publisher<I>) prepared.client().stream(prepared.request());
            if (chunks == null) {
                throw new IllegalStateException("client " + prepared.client().getClass().getName() + " returned no stream");
            }
            return new Opened<>(prepared, chunks, prepared.client().boundsOutput());
        } catch (RuntimeException failure) {
            RuntimeException typed = providers.scrubbed(prepared.providerId(), failure);
            attempts.fail(prepared, typed);
            throw typed;
        } catch (Error error) {
            attempts.fail(prepared, error);
            throw error;
        }
    }

    private record Opened<I>(PreparedCall prepared, Flow.Publisher<I> publisher, boolean boundsOutput) {
    }

    /** The cuts that need no timer: checked as each chunk arrives. */
    private Cut watch(GatewayCall call) {
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
    private void deadlines(GatewayCall call, PreparedCall prepared, GovernedStream<?, ?> stream) {
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

    private static <O> void refuse(Flow.Subscriber<? super O> subscriber, Throwable refused) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(refused);
    }

    /** The attempt's settle, once, however its stream ended. */
    private final class Settler<O> implements ChunkGovernor.Settler<O> {
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

    /** The source as the reserve stage sees a client: its estimate only. */
    private record SourceClient(StreamSource<?> source) implements LlmClient {
        @Override
        public LlmResponse complete(LlmRequest request) {
            throw new UnsupportedOperationException("a stream source only streams");
        }

        @Override
        public Optional<BigDecimal> estimateCost(LlmRequest request) {
            return source.estimateCost(request);
        }
    }
}
