package dev.agentgateway.core.provider;

import dev.agentgateway.core.testsupport.RecordingSubscriber;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The offline clients stream as the gateway's adversaries: back-pressure, cancel, failures, no usage, slow. */
class MockStreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LlmRequest REQUEST = new LlmRequest("mock", "mock-model", List.of(LlmMessage.user("Hi")), List.of(),
            null, 100);
    private static final String ANSWER = "The quick brown fox jumps over the lazy dog";

    private static MockLlmClient mock(MockStream shape) {
        return MockLlmClient.builder().defaultResponse(ANSWER).tokens(7, 9).costPerCall("0.01").streaming(shape).build();
    }

    private static RecordingSubscriber<LlmChunk> subscribe(LlmClient client, RecordingSubscriber<LlmChunk> subscriber) {
        client.stream(REQUEST).subscribe(subscriber);
        return subscriber;
    }

    private static LlmResponse assembled(List<LlmChunk> chunks) {
        StreamAssembler assembler = new StreamAssembler(REQUEST);
        chunks.forEach(assembler::accept);
        return assembler.response(0, TokenCounter.standard());
    }

    private static List<LlmChunk> texts(List<LlmChunk> chunks) {
        return chunks.stream().filter(LlmChunk.Text.class::isInstance).toList();
    }

    @Test
    void theMockStreamsTheAnswerItGivesBlocking() {
        MockLlmClient client = mock(MockStream.DEFAULT);

        RecordingSubscriber<LlmChunk> subscriber = subscribe(client, RecordingSubscriber.requestingAll());

        assertThat(subscriber.completed()).isTrue();
        LlmResponse streamed = assembled(subscriber.items());
        LlmResponse blocking = client.complete(REQUEST);
        assertThat(streamed.content()).isEqualTo(blocking.content());
        assertThat(streamed.inputTokens()).isEqualTo(blocking.inputTokens());
        assertThat(streamed.outputTokens()).isEqualTo(blocking.outputTokens());
        assertThat(streamed.cost()).isEqualByComparingTo(blocking.cost());
        assertThat(streamed.finishReason()).isEqualTo("stop");
    }

    @Test
    void noMoreChunksArriveThanWereRequested() {
        RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT), RecordingSubscriber.requestingNothing());
        assertThat(subscriber.items()).isEmpty();

        subscriber.request(2);
        assertThat(subscriber.items()).hasSize(2);
        subscriber.request(1);
        assertThat(subscriber.items()).hasSize(3);
        assertThat(subscriber.terminated()).isFalse();
    }

    @Test
    void theStreamCompletesOnceItsLastChunkIsDeliveredWithoutFurtherDemand() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        int length = subscribe(client, RecordingSubscriber.requestingAll()).items().size();

        RecordingSubscriber<LlmChunk> exact = subscribe(client, RecordingSubscriber.requestingNothing()).request(length);

        assertThat(exact.items()).hasSize(length);
        assertThat(exact.completed()).isTrue();
        assertThat(exact.ruleBreaks()).isZero();
    }

    @Test
    void demandRequestedFromInsideOnNextIsServedWithoutRecursion() {
        MockLlmClient client = mock(MockStream.DEFAULT.chunksOf(1));
        List<LlmChunk> received = new ArrayList<>();
        int[] depth = {0};
        int[] deepest = {0};
        client.stream(REQUEST).subscribe(new Flow.Subscriber<>() {
            Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(LlmChunk chunk) {
                depth[0]++;
                deepest[0] = Math.max(deepest[0], depth[0]);
                received.add(chunk);
                subscription.request(1);
                depth[0]--;
            }

            @Override
            public void onError(Throwable error) {
                received.clear();
            }

            @Override
            public void onComplete() {
            }
        });

        assertThat(texts(received)).hasSize(ANSWER.length());
        assertThat(deepest[0]).isEqualTo(1);
    }

    @Test
    void aCancelledStreamSendsNothingMoreAndCountsAsAClosedConnection() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        RecordingSubscriber<LlmChunk> subscriber = subscribe(client, RecordingSubscriber.requestingNothing()).request(2);

        subscriber.cancel();
        subscriber.request(10);

        assertThat(subscriber.items()).hasSize(2);
        assertThat(subscriber.terminated()).isFalse();
        assertThat(client.cancelledStreams()).isEqualTo(1);
    }

    @Test
    void aCancelAfterTheStreamEndedClosesNothing() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        RecordingSubscriber<LlmChunk> subscriber = subscribe(client, RecordingSubscriber.requestingAll());

        subscriber.cancel();

        assertThat(client.cancelledStreams()).isZero();
    }

    @Test
    void aFailingStreamDeliversItsChunksThenTheTypedError() {
        ProviderServerException dropped = new ProviderServerException("mock", 502, "bad gateway half way", null);
        RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT.failingAfter(3, dropped)),
                RecordingSubscriber.requestingAll());

        assertThat(subscriber.items()).hasSize(3);
        assertThat(subscriber.error()).isSameAs(dropped);
        assertThat(subscriber.completed()).isFalse();
    }

    @Test
    void aDroppedConnectionIsATimeOutByDefault() {
        RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT.failingAfter(0)),
                RecordingSubscriber.requestingAll());

        assertThat(subscriber.items()).isEmpty();
        assertThat(subscriber.error()).isInstanceOf(ProviderTimeoutException.class)
                .hasMessageContaining("dropped its connection after 0 chunks");
    }

    @Test
    void aStreamWithoutUsageSendsNoUsageChunk() {
        RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT.withoutUsage()),
                RecordingSubscriber.requestingAll());

        assertThat(subscriber.items()).noneMatch(LlmChunk.Usage.class::isInstance);
        assertThat(subscriber.completed()).isTrue();
    }

    @Test
    void textIsCutIntoPiecesOfTheConfiguredCodePointsWithoutSplittingSurrogatePairs() {
        MockLlmClient client = MockLlmClient.builder().defaultResponse("a😀b😀c").streaming(MockStream.DEFAULT.chunksOf(2)).build();

        List<LlmChunk> texts = texts(subscribe(client, RecordingSubscriber.requestingAll()).items());

        assertThat(texts).extracting(chunk -> ((LlmChunk.Text) chunk).delta()).containsExactly("a😀", "b😀", "c");
    }

    @Test
    void nothingIsSentBeforeASubscriberArrives() {
        MockLlmClient client = mock(MockStream.DEFAULT);

        var publisher = client.stream(REQUEST);
        assertThat(client.requestCount()).isZero();

        publisher.subscribe(RecordingSubscriber.requestingNothing());
        assertThat(client.requestCount()).isEqualTo(1);
    }

    @Test
    void requestingZeroChunksIsAnError() {
        RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT), RecordingSubscriber.requestingNothing());

        subscriber.request(0);

        assertThat(subscriber.error()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    }

    @Test
    void aFailureRateFailsTheStreamBeforeItsFirstChunk() {
        MockLlmClient client = MockLlmClient.builder().failureRate(1).build();

        RecordingSubscriber<LlmChunk> subscriber = subscribe(client, RecordingSubscriber.requestingAll());

        assertThat(subscriber.items()).isEmpty();
        assertThat(subscriber.error()).isInstanceOf(ProviderServerException.class);
    }

    @Test
    void chunksAreSignalledOnTheConfiguredExecutorNotOnTheRequestingThread() {
        Queue<Runnable> tasks = new ArrayDeque<>();
        Executor manual = tasks::add;
        RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT.signalledOn(manual)),
                RecordingSubscriber.requestingNothing()).request(2);

        assertThat(subscriber.items()).isEmpty();
        tasks.poll().run();
        assertThat(subscriber.items()).hasSize(2);
    }

    @Test
    void aCancelWakesASlowStreamWaitingToSendItsNextChunk() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            MockLlmClient client = mock(MockStream.DEFAULT.withChunkDelay(Duration.ofHours(1)).signalledOn(thread));
            RecordingSubscriber<LlmChunk> subscriber = subscribe(client, RecordingSubscriber.requestingAll());

            subscriber.cancel();

            Future<?> afterTheStream = thread.submit(() -> { });
            afterTheStream.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(subscriber.items()).isEmpty();
            assertThat(subscriber.terminated()).isFalse();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aStreamSignalledFromAnotherThreadStillKeepsToTheDemand() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            RecordingSubscriber<LlmChunk> subscriber = subscribe(mock(MockStream.DEFAULT.chunksOf(1).signalledOn(thread)),
                    RecordingSubscriber.requestingNothing()).request(5);
            thread.submit(() -> { }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(subscriber.items()).hasSize(5);

            subscriber.request(Long.MAX_VALUE).awaitTermination(WAIT);
            assertThat(subscriber.completed()).isTrue();
            assertThat(subscriber.ruleBreaks()).isZero();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void theScriptedClientStreamsToolCallsAsDeltasThatAssembleIntoItsTurn() {
        ScriptedLlmClient client = ScriptedLlmClient.sequence(
                ScriptedTurn.toolCall("weather", "{\"city\":\"Oslo\"}").andToolCall("time", "{}"))
                .streaming(MockStream.DEFAULT.chunksOf(3));

        List<LlmChunk> chunks = subscribe(client, RecordingSubscriber.requestingAll()).items();

        assertThat(chunks).filteredOn(LlmChunk.ToolCallDelta.class::isInstance).hasSizeGreaterThan(2);
        LlmResponse response = assembled(chunks);
        assertThat(response.toolCalls()).extracting(ToolCall::name, ToolCall::arguments)
                .containsExactly(tuple("weather", "{\"city\":\"Oslo\"}"),
                        tuple("time", "{}"));
        assertThat(response.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void aScriptedSequenceAdvancesOnlyWhenItsStreamIsSubscribedTo() {
        ScriptedLlmClient client = ScriptedLlmClient.sequence(ScriptedTurn.text("first"), ScriptedTurn.text("second"));

        client.stream(REQUEST);
        RecordingSubscriber<LlmChunk> subscriber = subscribe(client, RecordingSubscriber.requestingAll());

        assertThat(assembled(subscriber.items()).content()).isEqualTo("first");
    }

    @Test
    void anExhaustedScriptFailsItsStreamWithATypedError() {
        ScriptedLlmClient client = ScriptedLlmClient.sequence(ScriptedTurn.text("only"));
        subscribe(client, RecordingSubscriber.requestingAll());

        RecordingSubscriber<LlmChunk> second = subscribe(client, RecordingSubscriber.requestingNothing());

        assertThat(second.error()).isInstanceOf(ProviderBadResponseException.class).hasMessageContaining("exhausted");
    }

    @Test
    void aClientThatDoesNotStreamRefusesWithATypedErrorNamingTheFix() {
        LlmClient blockingOnly = request -> LlmResponse.text("whole", 1, 1);

        assertThatThrownBy(() -> blockingOnly.stream(REQUEST))
                .isInstanceOf(StreamingNotSupportedException.class)
                .hasMessageContaining("does not stream")
                .hasMessageContaining("LlmClient.stream(LlmRequest)")
                .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isFalse());
    }
}
