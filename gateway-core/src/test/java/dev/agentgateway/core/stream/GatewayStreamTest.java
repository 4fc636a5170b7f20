package dev.agentgateway.core.stream;

import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.loop.StreamRepetitionRule;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.MockStream;
import dev.agentgateway.core.provider.ModelPrice;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import dev.agentgateway.core.testsupport.ManualPublisher;
import dev.agentgateway.core.testsupport.ManualTimer;
import dev.agentgateway.core.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Gateway.stream}: the same pipeline as a blocking call, reserved before the provider is
 * asked for a chunk and settled exactly once however the stream ends, with the ledger and the
 * history checked exactly.
 */
class GatewayStreamTest {

    static final String MODEL = "gpt-4o-mini";
    static final String ANSWER = "Streams are calls: reserved before, settled after, cut when they must be.";
    static final TokenCounter TOKENS = TokenCounter.standard();
    static final ModelPrice PRICE = ModelPrice.of("1.00", "2.00");

    private final List<Gateway> gateways = new ArrayList<>();
    private final MutableClock clock = MutableClock.create();
    private final ManualTimer timer = new ManualTimer();

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    Gateway.Builder builder() {
        return Gateway.builder().clock(clock).streamTimer(timer).limits(ExecutionLimits.builder().maxBudget("10").build());
    }

    Gateway gateway(Gateway.Builder builder, LlmClient client) {
        Gateway gateway = builder.provider("mock", client).build();
        gateways.add(gateway);
        return gateway;
    }

    static MockLlmClient mock(MockStream shape) {
        return MockLlmClient.builder().defaultResponse(ANSWER).streaming(shape).build();
    }

    static GatewayCall call() {
        return GatewayCall.builder().agentId("analyst").provider("mock").model(MODEL).user("What are streams?").build();
    }

    static String text(List<StreamEvent> events) {
        StringBuilder text = new StringBuilder();
        events.forEach(event -> {
            if (event.text() != null) {
                text.append(event.text());
            }
        });
        return text.toString();
    }

    static BigDecimal price(Gateway gateway, long input, long output) {
        return gateway.getPriceTable().cost(MODEL, input, output).orElseThrow();
    }

    static LlmRequest sent(MockLlmClient client) {
        return client.requests().get(0);
    }

    @Test
    void aCompletedStreamEndsWithTheSettledAnswerAndIsRecordedAndChargedOnce() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        Gateway gateway = gateway(builder(), client);
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        gateway.stream(call()).subscribe(subscriber);

        assertThat(text(subscriber.elements())).isEqualTo(ANSWER);
        StreamEvent last = subscriber.elements().get(subscriber.elements().size() - 1);
        assertThat(last).isInstanceOfSatisfying(StreamEvent.Completed.class, completed -> {
            assertThat(completed.response().content()).isEqualTo(ANSWER);
            assertThat(completed.totalCost()).isPositive();
            assertThat(global(gateway).committedCost()).isEqualByComparingTo(completed.totalCost());
        });
        assertThat(subscriber.completed()).isTrue();
        assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.success()).isTrue();
            assertThat(record.response().content()).isEqualTo(ANSWER);
        });
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
        assertThat(global(gateway).committedSteps()).isEqualTo(1);
    }

    @Test
    void nothingIsSentBeforeASubscriberArrivesAndEachSubscriberIsOneGovernedCall() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        Gateway gateway = gateway(builder(), client);
        Flow.Publisher<StreamEvent> stream = gateway.stream(call());
        assertThat(client.requestCount()).isZero();

        stream.subscribe(CollectingSubscriber.unbounded());
        stream.subscribe(CollectingSubscriber.unbounded());

        assertThat(client.requestCount()).isEqualTo(2);
        assertThat(gateway.getCallHistory(null, null)).hasSize(2);
    }

    @Test
    void aStreamOverTheBudgetIsRefusedBeforeTheProviderIsAsked() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        Gateway gateway = gateway(builder().limits(ExecutionLimits.builder().maxBudget("0.0000001").build()), client);
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        gateway.stream(call()).subscribe(subscriber);

        assertThat(subscriber.error()).isInstanceOf(BudgetExceededException.class);
        assertThat(client.requestCount()).isZero();
        assertThat(gateway.getCallHistory(null, null)).singleElement().extracting(CallRecord::refusedBy).isEqualTo("global");
    }

    @Test
    void beforeCallHooksRunBeforeTheProviderIsAskedForAnything() {
        MockLlmClient client = mock(MockStream.DEFAULT);
        AtomicInteger requestsSeenByHook = new AtomicInteger(-1);
        Gateway gateway = gateway(builder().onBeforeCall(context -> requestsSeenByHook.set(client.requestCount())), client);

        gateway.stream(call()).subscribe(CollectingSubscriber.unbounded());

        assertThat(requestsSeenByHook).hasValue(0);
        assertThat(client.requestCount()).isEqualTo(1);
    }

    @Test
    void aCancelAfterSomeChunksIsChargedExactlyWhatWasSentAndReceived() {
        MockLlmClient client = mock(MockStream.DEFAULT.withoutUsage());
        Gateway gateway = gateway(builder(), client);
        CollectingSubscriber<StreamEvent> subscriber = new CollectingSubscriber<>(4); // the model and three pieces of text

        gateway.stream(call()).subscribe(subscriber);
        subscriber.cancel();

        String received = text(subscriber.elements());
        assertThat(received).isEqualTo(ANSWER.substring(0, 24));
        long input = TOKENS.inputTokens(sent(client));
        long output = TOKENS.tokens(MODEL, received);
        assertThat(global(gateway).committedCost()).isEqualByComparingTo(price(gateway, input, output));
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
        assertThat(global(gateway).inputTokens()).isEqualTo(input);
        assertThat(global(gateway).outputTokens()).isEqualTo(output);
        assertThat(client.cancelledStreams()).isEqualTo(1);
        assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.success()).isFalse();
            assertThat(record.response().content()).isEqualTo(received);
            assertThat(record.response().finishReason()).isEqualTo("cancelled");
            assertThat(record.refusedBy()).isNull();
        });
    }

    @Test
    void aProviderFailureHalfWayIsATypedErrorAndThePartialAnswerIsInTheHistory() {
        MockLlmClient client = mock(MockStream.DEFAULT.withoutUsage().failingAfter(3));
        Gateway gateway = gateway(builder(), client);
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        gateway.stream(call()).subscribe(subscriber);

        assertThat(subscriber.error()).isInstanceOf(ProviderTimeoutException.class);
        String received = text(subscriber.elements());
        assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.success()).isFalse();
            assertThat(record.errorType()).isEqualTo("ProviderTimeoutException");
            assertThat(record.response().content()).isEqualTo(received);
            assertThat(record.response().finishReason()).isEqualTo("error");
        });
        assertThat(global(gateway).committedCost())
                .isEqualByComparingTo(price(gateway, TOKENS.inputTokens(sent(client)), TOKENS.tokens(MODEL, received)));
    }

    @Test
    void aCompletedStreamWithoutUsageIsChargedItsCountedTokens() {
        MockLlmClient client = mock(MockStream.DEFAULT.withoutUsage());
        Gateway gateway = gateway(builder(), client);

        gateway.stream(call()).subscribe(CollectingSubscriber.unbounded());

        assertThat(global(gateway).outputTokens()).isEqualTo(TOKENS.tokens(MODEL, ANSWER));
        assertThat(global(gateway).committedCost()).isEqualByComparingTo(
                price(gateway, TOKENS.inputTokens(sent(client)), TOKENS.tokens(MODEL, ANSWER)));
    }

    @Test
    void theTimeLimitCutsAStreamThatIsStillRunning() {
        ManualPublisher<LlmChunk> provider = new ManualPublisher<>();
        Gateway gateway = gateway(builder().limits(ExecutionLimits.builder().maxTime(Duration.ofSeconds(30)).build()),
                request -> { throw new UnsupportedOperationException(); });
        gateway.registerProvider("slow", streaming(provider));
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();
        gateway.stream(call().toBuilder().provider("slow").build()).subscribe(subscriber);
        provider.emit(LlmChunk.text("Half an answer"));

        clock.advanceSeconds(31);
        timer.fireAll();

        assertThat(text(subscriber.elements())).isEqualTo("Half an answer");
        assertThat(subscriber.error()).isInstanceOf(TimeLimitExceededException.class);
        assertThat(provider.cancelled()).isTrue();
        assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.response().finishReason()).isEqualTo("time_limit");
            assertThat(record.refusedBy()).isEqualTo("global");
        });
    }

    @Test
    void stoppingTheGatewayCutsARunningStreamAtOnce() {
        ManualPublisher<LlmChunk> provider = new ManualPublisher<>();
        Gateway gateway = gateway(builder(), streaming(provider));
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();
        gateway.stream(call()).subscribe(subscriber);
        provider.emit(LlmChunk.text("Half"));

        gateway.stopAll();

        assertThat(subscriber.error()).isInstanceOf(GatewayStoppedException.class);
        assertThat(provider.cancelled()).isTrue();
        assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.response().finishReason()).isEqualTo("stopped");
            assertThat(record.refusedBy()).isEqualTo("kill-switch");
        });
    }

    @Test
    void pausingAnAgentCutsItsStreamsAndNoOtherAgents() {
        ManualPublisher<LlmChunk> analysts = new ManualPublisher<>();
        ManualPublisher<LlmChunk> writers = new ManualPublisher<>();
        Gateway gateway = gateway(builder(), streaming(analysts));
        gateway.registerProvider("other", streaming(writers));
        CollectingSubscriber<StreamEvent> analyst = CollectingSubscriber.unbounded();
        CollectingSubscriber<StreamEvent> writer = CollectingSubscriber.unbounded();
        gateway.stream(call()).subscribe(analyst);
        gateway.stream(call().toBuilder().agentId("writer").provider("other").build()).subscribe(writer);

        gateway.pauseAgent("analyst");

        assertThat(analyst.error()).isInstanceOf(AgentPausedException.class);
        assertThat(writer.terminated()).isFalse();
        assertThat(writers.cancelled()).isFalse();
    }

    @Test
    void outputOfAClientThatCannotBoundItIsCutAtTheReservationAndNeverChargedMore() {
        ManualPublisher<LlmChunk> provider = new ManualPublisher<>();
        LlmClient unbounded = new LlmClient() {
            @Override
            public LlmResponse complete(LlmRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
                return provider;
            }

            @Override
            public boolean boundsOutput() {
                return false;
            }
        };
        Gateway gateway = gateway(builder(), unbounded);
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();
        gateway.stream(call().toBuilder().maxTokens(10).build()).subscribe(subscriber);

        for (int i = 0; i < 100 && !subscriber.terminated(); i++) {
            provider.emit(LlmChunk.text(" word"));
        }

        assertThat(subscriber.error()).isInstanceOfSatisfying(OutputLimitExceededException.class,
                e -> assertThat(e.limitTokens()).isEqualTo(10));
        assertThat(provider.cancelled()).isTrue();
        assertThat(global(gateway).outputTokens()).isEqualTo(10);
        CallRecord record = gateway.getCallHistory(null, null).get(0);
        assertThat(record.exceededReservation()).isFalse();
        assertThat(record.refusedBy()).isEqualTo("output-limit");
    }

    @Test
    void repetitionCutsTheStreamAsALoop() {
        ManualPublisher<LlmChunk> provider = new ManualPublisher<>();
        Gateway gateway = gateway(builder().streamRepetition(new StreamRepetitionRule(4, 40, 3)), streaming(provider));
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();
        gateway.stream(call()).subscribe(subscriber);

        for (int i = 0; i < 10 && !subscriber.terminated(); i++) {
            provider.emit(LlmChunk.text("I apologise. "));
        }

        assertThat(subscriber.error()).isInstanceOfSatisfying(LoopDetectedException.class,
                e -> assertThat(e.pattern()).isEqualTo(LoopPattern.REPEATED_STREAM_OUTPUT));
        assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.response().finishReason()).isEqualTo("repetition");
            assertThat(record.refusedBy()).isEqualTo("loop:repeated_stream_output");
        });
    }

    @Test
    void loopDetectionSeesStreamedAnswersAsItSeesBlockingOnes() {
        Gateway gateway = gateway(builder().loopDetection(LoopDetectionConfig.defaults()), mock(MockStream.DEFAULT));
        List<CollectingSubscriber<StreamEvent>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();
            gateway.stream(call().toBuilder().workflowId("run-1").build()).subscribe(subscriber);
            runs.add(subscriber);
        }

        assertThat(runs.get(1).completed()).isTrue();
        assertThat(runs.get(2).error()).isInstanceOf(LoopDetectedException.class);
    }

    @Test
    void aSlowSubscriberOnAnotherThreadGetsEveryChunkAndTheCallSettlesOnce() throws Exception {
        java.util.concurrent.ExecutorService network = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            Gateway gateway = gateway(builder(), mock(MockStream.DEFAULT.chunksOf(3).signalledOn(network)));
            CollectingSubscriber<StreamEvent> subscriber = new CollectingSubscriber<>(1) {
                @Override
                public void onNext(StreamEvent item) {
                    super.onNext(item);
                    request(1);
                }
            };
            gateway.stream(call()).subscribe(subscriber);

            subscriber.awaitTermination();

            assertThat(text(subscriber.elements())).isEqualTo(ANSWER);
            assertThat(gateway.getCallHistory(null, null)).hasSize(1);
            assertThat(global(gateway).committedSteps()).isEqualTo(1);
        } finally {
            network.shutdownNow();
        }
    }

    @Test
    void manyThreadsStreamingAgainstOneBudgetNeverCommitMoreThanIt() throws Exception {
        Gateway gateway = gateway(builder().limits(ExecutionLimits.builder().maxBudget("0.0005").build()),
                mock(MockStream.DEFAULT.withoutUsage()));
        int threads = 16;
        int streamsEach = 20;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(threads * streamsEach);
        for (int i = 0; i < threads * streamsEach; i++) {
            int n = i;
            pool.execute(() -> {
                CollectingSubscriber<StreamEvent> subscriber = new CollectingSubscriber<>(n % 3 == 0 ? 3 : Long.MAX_VALUE);
                gateway.stream(call()).subscribe(subscriber);
                if (n % 3 == 0) {
                    subscriber.cancel();
                }
                if (subscriber.error() instanceof BudgetExceededException) {
                    refused.incrementAndGet();
                } else if (subscriber.completed()) {
                    completed.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await();
        pool.shutdown();

        ScopeUsage usage = global(gateway);
        assertThat(usage.committedCost()).isLessThanOrEqualTo(new BigDecimal("0.0005"));
        assertThat(usage.reservedCost()).isEqualByComparingTo("0");
        assertThat(refused.get()).isPositive();
        assertThat(completed.get()).isPositive();
        BigDecimal recorded = gateway.getCallHistory(null, null).stream().map(CallRecord::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(recorded).isEqualByComparingTo(usage.committedCost());
    }

    @Test
    void aToolRunStreamsEachTurnWithItsToolsBetweenAndEndsInOneCompletedWithTheRunsTotals() {
        dev.agentgateway.core.provider.ScriptedLlmClient client = dev.agentgateway.core.provider.ScriptedLlmClient.sequence(
                dev.agentgateway.core.provider.ScriptedTurn.toolCall("lookup", "{\"q\":\"streams\"}"),
                dev.agentgateway.core.provider.ScriptedTurn.text("Streams are calls."));
        Gateway gateway = gateway(builder().checkpointEnabled(true), client);
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        gateway.streamWithTools(call().toBuilder().workflowId("run-7")
                        .tools(List.of(dev.agentgateway.core.provider.ToolSpec.of("lookup", "looks up"))).build(),
                (name, arguments) -> {
                    ran.add(name + arguments);
                    return "found";
                }).subscribe(subscriber);
        subscriber.awaitTerminationQuietly();

        assertThat(ran).containsExactly("lookup{q=streams}");
        assertThat(subscriber.elements()).filteredOn(event -> !(event instanceof StreamEvent.Output))
                .map(event -> event.getClass().getSimpleName()).containsExactly("ToolStarted", "ToolFinished", "Completed");
        assertThat(text(subscriber.elements())).isEqualTo("Streams are calls.");
        StreamEvent.Completed completed = (StreamEvent.Completed) subscriber.elements().get(subscriber.elements().size() - 1);
        assertThat(completed.steps()).isEqualTo(2);
        assertThat(completed.totalCost()).isEqualByComparingTo(global(gateway).committedCost());
        assertThat(gateway.getCallHistory(null, null)).hasSize(2).allMatch(CallRecord::success);
        assertThat(gateway.getToolCallHistory(null, null)).singleElement()
                .satisfies(record -> assertThat(record.result()).isEqualTo("found"));
        assertThat(gateway.getCheckpoint("run-7", null).finished()).isTrue();
    }

    @Test
    void aStreamedRunOfferingAToolTheAgentMayNotUseIsRefusedBeforeTheProvider() {
        dev.agentgateway.core.provider.ScriptedLlmClient client = dev.agentgateway.core.provider.ScriptedLlmClient.sequence(
                dev.agentgateway.core.provider.ScriptedTurn.toolCall("delete", "{}"),
                dev.agentgateway.core.provider.ScriptedTurn.text("done"));
        dev.agentgateway.core.tools.ToolAccessController access = new dev.agentgateway.core.tools.ToolAccessController(
                dev.agentgateway.core.tools.AccessPolicy.DENY);
        Gateway gateway = gateway(builder().toolAccess(access), client);
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        gateway.streamWithTools(call().toBuilder().tools(List.of(dev.agentgateway.core.provider.ToolSpec.of("delete", "deletes")))
                .build(), (name, arguments) -> "deleted").subscribe(subscriber);
        subscriber.awaitTerminationQuietly();

        assertThat(subscriber.error()).isInstanceOf(dev.agentgateway.core.tools.ToolAccessDeniedException.class);
        assertThat(subscriber.elements()).isEmpty();
        assertThat(gateway.getCallHistory(null, null)).singleElement()
                .extracting(CallRecord::refusedBy).isEqualTo("tool-access:delete");
    }

    static LlmClient streaming(Flow.Publisher<LlmChunk> provider) {
        return new LlmClient() {
            @Override
            public LlmResponse complete(LlmRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
                return provider;
            }
        };
    }

    ScopeUsage global(Gateway gateway) {
        return gateway.usage(LimitScope.global());
    }
}
