package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.loop.StreamRepetitionRule;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.MockStream;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.stream.OutputLimitExceededException;
import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.internal.stream.GovernedStream.Cut;
import dev.agentgateway.core.internal.stream.GovernedStream.Ending;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import dev.agentgateway.core.testsupport.ManualPublisher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** One provider stream governed: the answer it is settled for, and the cut-offs on its chunks. */
class ChunkGovernorTest {

    private static final String MODEL = "gpt-4o-mini";
    private static final TokenCounter TOKENS = TokenCounter.standard();
    private static final String ANSWER = "Streams are calls: reserved before, settled after.";

    /** What the settler was told. */
    record Settled(StreamEnd end, LlmResponse response, Throwable cause, ChunkGovernor.StreamStats stats) {
    }

    private final List<Settled> settled = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LlmRequest request = new LlmRequest("mock", MODEL, List.of(LlmMessage.user("What are streams?")),
            List.of(), null, 1024);

    private ChunkGovernor<LlmChunk, LlmChunk> governor(long outputCap, StreamRepetitionRule rule, ChunkGovernor.Watch watch) {
        return new ChunkGovernor<>(new ChunkGovernor.Settings<>(List::of, Function.identity(), outputCap, rule, "analyst",
                "run-1"), request, TOKENS, watch, (end, response, cause, stats) -> {
            settled.add(new Settled(end, response, cause, stats));
            return cause == null || end == StreamEnd.CANCELLED ? Ending.complete(null) : Ending.failed(cause);
        });
    }

    private CollectingSubscriber<LlmChunk> stream(MockStream shape, ChunkGovernor<LlmChunk, LlmChunk> governor,
                                                 CollectingSubscriber<LlmChunk> subscriber) {
        Flow.Publisher<LlmChunk> provider = MockLlmClient.builder().defaultResponse(ANSWER).tokens(12, 9)
                .streaming(shape).build().stream(request);
        GovernedStream<LlmChunk, LlmChunk> stream = new GovernedStream<>(subscriber, governor);
        stream.start();
        provider.subscribe(stream);
        return subscriber;
    }

    private static String text(List<LlmChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> {
            if (chunk instanceof LlmChunk.Text piece) {
                text.append(piece.delta());
            }
        });
        return text.toString();
    }

    @Test
    void aCompletedStreamIsSettledForTheWholeAnswerAndTheProvidersUsage() {
        CollectingSubscriber<LlmChunk> subscriber = stream(MockStream.DEFAULT, governor(0, null, null),
                CollectingSubscriber.unbounded());

        assertThat(subscriber.completed()).isTrue();
        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.end()).isEqualTo(StreamEnd.COMPLETED);
            assertThat(s.response().content()).isEqualTo(ANSWER);
            assertThat(s.response().inputTokens()).isEqualTo(12);
            assertThat(s.response().outputTokens()).isEqualTo(9);
            assertThat(s.response().finishReason()).isEqualTo("stop");
            assertThat(s.stats().firstOutputNanos()).isNotNegative();
        });
    }

    @Test
    void aCompletedStreamWithoutUsageIsCountedWithTheTokenizer() {
        stream(MockStream.DEFAULT.withoutUsage(), governor(0, null, null), CollectingSubscriber.unbounded());

        LlmResponse response = settled.get(0).response();
        assertThat(response.outputTokens()).isEqualTo(TOKENS.tokens(MODEL, ANSWER));
        assertThat(response.inputTokens()).isEqualTo(TOKENS.inputTokens(request));
    }

    @Test
    void aCancelAfterSomeChunksIsSettledForWhatWasReceivedCountedWithTheTokenizer() {
        CollectingSubscriber<LlmChunk> subscriber = new CollectingSubscriber<>(4); // the model chunk and three texts
        stream(MockStream.DEFAULT, governor(0, null, null), subscriber);

        subscriber.cancel();

        String received = text(subscriber.elements());
        assertThat(received).isEqualTo(ANSWER.substring(0, 24));
        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.end()).isEqualTo(StreamEnd.CANCELLED);
            assertThat(s.response().content()).isEqualTo(received);
            assertThat(s.response().outputTokens()).isEqualTo(TOKENS.tokens(MODEL, received));
            assertThat(s.response().inputTokens()).isEqualTo(TOKENS.inputTokens(request));
            assertThat(s.response().finishReason()).isEqualTo("cancelled");
        });
    }

    @Test
    void aFailureHalfWayKeepsThePartialAnswerAndTheTypedError() {
        CollectingSubscriber<LlmChunk> subscriber = stream(MockStream.DEFAULT.withoutUsage().failingAfter(3),
                governor(0, null, null), CollectingSubscriber.unbounded());

        assertThat(subscriber.error()).isInstanceOf(ProviderTimeoutException.class);
        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.end()).isEqualTo(StreamEnd.FAILED);
            assertThat(s.cause()).isSameAs(subscriber.error());
            assertThat(s.response().content()).isEqualTo(ANSWER.substring(0, 16));
            assertThat(s.response().finishReason()).isEqualTo("error");
        });
    }

    @Test
    void aStreamThatEndsWithoutAnAnswerIsABadResponse() {
        ManualPublisher<LlmChunk> provider = new ManualPublisher<>();
        CollectingSubscriber<LlmChunk> subscriber = CollectingSubscriber.unbounded();
        GovernedStream<LlmChunk, LlmChunk> stream = new GovernedStream<>(subscriber, governor(0, null, null));
        stream.start();
        provider.subscribe(stream);

        provider.emit(LlmChunk.model(MODEL));
        provider.complete();

        assertThat(subscriber.error()).isInstanceOf(ProviderBadResponseException.class);
        assertThat(settled).singleElement().extracting(Settled::end).isEqualTo(StreamEnd.FAILED);
    }

    @Test
    void outputReachingTheCapOfAClientThatCannotBoundItIsCutOff() {
        long cap = 6;
        CollectingSubscriber<LlmChunk> subscriber = stream(MockStream.DEFAULT.withoutUsage(), governor(cap, null, null),
                CollectingSubscriber.unbounded());

        assertThat(subscriber.error()).isInstanceOfSatisfying(OutputLimitExceededException.class, e -> {
            assertThat(e.limitTokens()).isEqualTo(cap);
            assertThat(e.outputTokens()).isGreaterThanOrEqualTo(cap);
        });
        String received = text(subscriber.elements());
        assertThat(ANSWER).startsWith(received).isNotEqualTo(received);
        Settled s = settled.get(0);
        assertThat(s.end()).isEqualTo(StreamEnd.OUTPUT_LIMIT);
        assertThat(s.response().finishReason()).isEqualTo("output_limit");
        // cut at the first chunk that reached the cap: one chunk fewer would have stayed below it
        String beforeLast = received.substring(0, received.length() - 8);
        assertThat(TOKENS.tokens(MODEL, beforeLast)).isLessThan(cap);
    }

    @Test
    void textThatDegeneratesIntoRepetitionIsCutOffAsALoop() {
        ManualPublisher<LlmChunk> provider = new ManualPublisher<>();
        CollectingSubscriber<LlmChunk> subscriber = CollectingSubscriber.unbounded();
        GovernedStream<LlmChunk, LlmChunk> stream = new GovernedStream<>(subscriber,
                governor(0, new StreamRepetitionRule(4, 40, 3), null));
        stream.start();
        provider.subscribe(stream);

        provider.emit(LlmChunk.text("Let me check. "));
        provider.emit(LlmChunk.text("I apologise. "));
        provider.emit(LlmChunk.text("I apologise. "));
        provider.emit(LlmChunk.text("I apologise. "));
        provider.emit(LlmChunk.text("I apologise. "));

        assertThat(subscriber.elements()).hasSize(4);
        assertThat(subscriber.error()).isInstanceOfSatisfying(LoopDetectedException.class, e -> {
            assertThat(e.pattern()).isEqualTo(LoopPattern.REPEATED_STREAM_OUTPUT);
            assertThat(e.workflowId()).isEqualTo("run-1");
            assertThat(e.agents()).containsExactly("analyst");
        });
        assertThat(provider.cancelled()).isTrue();
        assertThat(settled).singleElement().extracting(s -> s.response().finishReason()).isEqualTo("repetition");
    }

    @Test
    void aWatchThatCutsStopsTheStreamAtTheChunkItSawAndSaysWhy() {
        TimeLimitExceededException late = new TimeLimitExceededException("analyst", 31, 30);
        int[] seen = {0};
        ChunkGovernor.Watch watch = () -> ++seen[0] == 3 ? new Cut(StreamEnd.TIME_LIMIT, late) : null;

        CollectingSubscriber<LlmChunk> subscriber = stream(MockStream.DEFAULT, governor(0, null, watch),
                CollectingSubscriber.unbounded());

        assertThat(subscriber.elements()).hasSize(3);
        assertThat(subscriber.error()).isSameAs(late);
        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.end()).isEqualTo(StreamEnd.TIME_LIMIT);
            assertThat(s.response().finishReason()).isEqualTo("time_limit");
            assertThat(s.response().content()).isEqualTo(ANSWER.substring(0, 16));
        });
    }
}
