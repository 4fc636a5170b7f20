package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayControl;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.loop.StreamRepetitionRule;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.provider.StreamingNotSupportedException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.stream.StreamSource;
import dev.agentgateway.core.internal.stream.ChunkGovernor;
import dev.agentgateway.core.internal.stream.GovernedStream;
import dev.agentgateway.core.internal.stream.LiveStreams;
import dev.agentgateway.core.stream.StreamTimer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 *
 * <p>This class opens the streams; what may cut one short is {@link StreamCuts}, how one ends in the
 * books is {@link StreamSettlement}.
 */
public final class StreamCalls {

    /** What the stage needs beyond the pipeline's stages. */
    public record Settings(TokenCounter tokens, StreamTimer timer, Duration timeout, StreamRepetitionRule repetition,
                           Clock clock) {
    }

    private final CallPipeline pipeline;
    private final CallStrategy strategy;
    private final AttemptStage attempts;
    private final ProviderRegistry providers;
    private final Settings settings;
    private final LiveStreams live;
    private final StreamCuts cuts;
    private final StreamSettlement settlement;

    public StreamCalls(CallPipeline pipeline, CallStrategy strategy, AttemptStage attempts, SettleStage settle,
                       LimitEnforcer limits, GatewayControl control, ProviderRegistry providers, Refusals refusals,
                       Events events, Settings settings, LiveStreams live) {
        this.pipeline = pipeline;
        this.strategy = strategy;
        this.attempts = attempts;
        this.providers = providers;
        this.settings = settings;
        this.live = live;
        this.cuts = new StreamCuts(control, limits, settings);
        this.settlement = new StreamSettlement(pipeline, attempts, settle, limits, providers, refusals, events, live);
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
                    target -> attempt(call, target, source, providerId.equals(target.provider()), override, parent));
        } catch (RuntimeException | Error refused) {
            refuse(subscriber, refused);
            return;
        }
        PreparedCall prepared = opened.prepared();
        StreamSettlement.Settler<O> settler = settlement.settler(call, prepared, last, checkpointCall);
        long cap = opened.boundsOutput() ? 0 : prepared.request().maxTokens();
        ChunkGovernor<I, O> governor = new ChunkGovernor<>(new ChunkGovernor.Settings<>(reader, delivery, cap,
                settings.repetition(), call.agentId(), call.workflowId()), prepared.request(), settings.tokens(),
                () -> cuts.watch(call), settler);
        GovernedStream<I, O> stream = new GovernedStream<>(subscriber, governor);
        settler.stream = stream;
        live.add(stream, call.agentId());
        stream.start();
        cuts.deadlines(call, prepared, stream);
        try {
            opened.publisher().subscribe(stream);
        } catch (RuntimeException | Error failure) {
            stream.onError(failure);
        }
    }

    /** One attempt's opening: reserve and hooks, then the provider's stream made (not yet subscribed). */
    private <I> Opened<I> attempt(GatewayCall call, CallTarget target, StreamSource<I> source, boolean sourcesProvider,
                                  LlmClient override, ExecutionObserver.Span parent) {
        PreparedCall prepared = attempts.open(call, target, source == null || !sourcesProvider ? null : override, parent);
        try {
            if (source != null && !sourcesProvider) {
                // The source's elements are the framework's own type: another provider's LlmChunks cannot
                // become them, so a fallback to another provider is refused (typed, recorded) rather than
                // handed to the framework's reader as something it cannot read.
                throw StreamingNotSupportedException.fallbackOfSource(target.provider(),
                        ProviderRegistry.normalizeId(call.provider()));
            }
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
