package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A ChatClient stream through the advisor is governed as its call is: limits and hooks before the
 * model is asked, the stream handed on as it arrives, settled once however it ends.
 */
class GatewayAdvisorStreamTest {

    static final String MODEL = "gpt-4o-mini";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final TokenCounter TOKENS = TokenCounter.standard();

    /**
     * A ChatModel that streams {@code pieces} of text, then a finish reason and the usage (12 prompt,
     * 3 completion tokens) unless told otherwise; counts how often it is asked and whether it was cancelled.
     */
    static final class StreamingModel implements ChatModel {
        final AtomicInteger streams = new AtomicInteger();
        final AtomicBoolean cancelled = new AtomicBoolean();
        private final List<String> pieces;
        private final boolean finishes;
        private final RuntimeException failureAfterPieces;
        private final DefaultUsage usage;

        StreamingModel(List<String> pieces, boolean finishes, RuntimeException failureAfterPieces, DefaultUsage usage) {
            this.pieces = pieces;
            this.finishes = finishes;
            this.failureAfterPieces = failureAfterPieces;
            this.usage = usage;
        }

        StreamingModel(List<String> pieces, boolean finishes, RuntimeException failureAfterPieces) {
            this(pieces, finishes, failureAfterPieces, new DefaultUsage(12, 3));
        }

        static StreamingModel answering(String... pieces) {
            return new StreamingModel(List.of(pieces), true, null);
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            return text(String.join("", pieces));
        }

        @Override
        public Flux<ChatResponse> stream(Prompt prompt) {
            streams.incrementAndGet();
            List<ChatResponse> responses = new ArrayList<>();
            pieces.forEach(piece -> responses.add(text(piece)));
            Flux<ChatResponse> stream = Flux.fromIterable(responses);
            if (failureAfterPieces != null) {
                stream = stream.concatWith(Flux.error(failureAfterPieces));
            } else if (finishes) {
                stream = stream.concatWith(Flux.just(finish(usage)));
            }
            return stream.doOnCancel(() -> cancelled.set(true));
        }

        static ChatResponse text(String text) {
            return new ChatResponse(List.of(new Generation(new AssistantMessage(text))),
                    ChatResponseMetadata.builder().model(MODEL).build());
        }

        static ChatResponse finish(DefaultUsage usage) {
            Generation last = new Generation(new AssistantMessage(""),
                    ChatGenerationMetadata.builder().finishReason("STOP").build());
            return new ChatResponse(List.of(last), ChatResponseMetadata.builder().model(MODEL)
                    .usage(usage).build());
        }
    }

    private static ChatClient client(Gateway gateway, ChatModel model) {
        return ChatClient.builder(model)
                .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").defaultModel(MODEL).build()).build();
    }

    private static Gateway gateway(ExecutionLimits limits) {
        return Gateway.builder().limits(limits).build();
    }

    private static ScopeUsage global(Gateway gateway) {
        return gateway.usage(LimitScope.global());
    }

    private static BigDecimal price(Gateway gateway, long input, long output) {
        return gateway.getPriceTable().cost(MODEL, input, output).orElseThrow();
    }

    @Test
    void aStreamArrivesAsTheModelSendsItAndIsRecordedWithTheModelsUsage() {
        StreamingModel model = StreamingModel.answering("po", "ng");
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());

        List<String> pieces = client(gateway, model).prompt().user("ping").stream().content().collectList().block(WAIT);

        assertThat(pieces).containsExactly("po", "ng");
        assertThat(gateway.getCallHistory("assistant", null)).singleElement().satisfies(record -> {
            assertThat(record.success()).isTrue();
            assertThat(record.provider()).isEqualTo(GatewayAdvisor.DEFAULT_PROVIDER_ID);
            assertThat(record.model()).isEqualTo(MODEL);
            assertThat(record.response().content()).isEqualTo("pong");
            assertThat(record.inputTokens()).isEqualTo(12);
            assertThat(record.outputTokens()).isEqualTo(3);
            assertThat(record.cost()).isEqualByComparingTo(price(gateway, 12, 3));
        });
        assertThat(global(gateway).committedCost()).isEqualByComparingTo(price(gateway, 12, 3));
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
        assertThat(gateway.metrics().totalSteps()).isEqualTo(1);
    }

    @Test
    void nothingIsAskedOfTheModelBeforeTheStreamIsSubscribed() {
        StreamingModel model = StreamingModel.answering("po", "ng");
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());

        Flux<String> stream = client(gateway, model).prompt().user("ping").stream().content();

        assertThat(model.streams).hasValue(0);
        assertThat(gateway.metrics().totalSteps()).isZero();
        stream.blockLast(WAIT);
        assertThat(model.streams).hasValue(1);
    }

    @Test
    void theStepLimitRefusesAStreamBeforeTheModelIsAsked() {
        StreamingModel model = StreamingModel.answering("po", "ng");
        ChatClient client = client(gateway(ExecutionLimits.builder().maxSteps(2).build()), model);
        client.prompt().user("one").stream().content().blockLast(WAIT);
        client.prompt().user("two").stream().content().blockLast(WAIT);

        assertThatThrownBy(() -> client.prompt().user("three").stream().content().blockLast(WAIT))
                .isInstanceOf(StepLimitExceededException.class);
        assertThat(model.streams).hasValue(2);
    }

    @Test
    void theBudgetRefusesAStreamItCannotCoverBeforeTheModelIsAsked() {
        StreamingModel model = StreamingModel.answering("po", "ng");
        Gateway gateway = gateway(ExecutionLimits.builder().maxBudget("0.0000001").build());

        assertThatThrownBy(() -> client(gateway, model).prompt().user("hi").stream().content().blockLast(WAIT))
                .isInstanceOf(BudgetExceededException.class);
        assertThat(model.streams).hasValue(0);
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void aBeforeCallHookRunsBeforeTheModelIsAskedAndItsVetoStopsTheStream() {
        StreamingModel model = StreamingModel.answering("po", "ng");
        AtomicInteger streamsWhenHookRan = new AtomicInteger(-1);
        BeforeCallHook veto = context -> {
            streamsWhenHookRan.set(model.streams.get());
            throw new GatewayException("vetoed by policy");
        };
        Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxSteps(5).build()).onBeforeCall(veto).build();

        assertThatThrownBy(() -> client(gateway, model).prompt().user("hi").stream().content().blockLast(WAIT))
                .hasMessageContaining("vetoed by policy");
        assertThat(streamsWhenHookRan).hasValue(0);
        assertThat(model.streams).hasValue(0);
        assertThat(global(gateway).committedCost()).isEqualByComparingTo("0");
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void aCancelAfterSomePiecesClosesTheModelsStreamAndChargesExactlyWhatWasSentAndReceived() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(" word" + i);
        }
        StreamingModel model = new StreamingModel(many, true, null);
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());

        List<String> received = client(gateway, model).prompt().user("count to 200").stream().content()
                .take(3).collectList().block(WAIT);

        assertThat(received).containsExactly(" word0", " word1", " word2");
        assertThat(model.cancelled).isTrue();
        CallRecord record = gateway.getCallHistory("assistant", null).get(0);
        assertThat(record.success()).isFalse();
        assertThat(record.response().finishReason()).isEqualTo("cancelled");
        assertThat(record.response().content()).isEqualTo(String.join("", received));
        long input = TOKENS.inputTokens(record.request());
        long output = TOKENS.tokens(MODEL, String.join("", received));
        assertThat(global(gateway).committedCost()).isEqualByComparingTo(price(gateway, input, output));
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
        assertThat(global(gateway).outputTokens()).isEqualTo(output);
    }

    @Test
    void aFailureHalfWayIsATypedErrorAfterThePiecesAndThePartialAnswerIsInTheHistory() {
        StreamingModel model = new StreamingModel(List.of("Half", " an answer"), true,
                new IllegalStateException("connection reset by peer"));
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());
        List<String> pieces = new ArrayList<>();

        assertThatThrownBy(() -> client(gateway, model).prompt().user("hi").stream().content()
                .doOnNext(pieces::add).blockLast(WAIT))
                .isInstanceOf(ProviderException.class);

        assertThat(pieces).containsExactly("Half", " an answer");
        CallRecord record = gateway.getCallHistory("assistant", null).get(0);
        assertThat(record.success()).isFalse();
        assertThat(record.response().content()).isEqualTo("Half an answer");
        assertThat(record.response().finishReason()).isEqualTo("error");
        assertThat(global(gateway).committedCost()).isEqualByComparingTo(price(gateway,
                TOKENS.inputTokens(record.request()), TOKENS.tokens(MODEL, "Half an answer")));
    }

    @Test
    void aStreamThatEndsBeforeTheModelSaidItFinishedIsATypedTimeOutNotASuccess() {
        StreamingModel model = new StreamingModel(List.of("Half", " an answer"), false, null);
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());

        assertThatThrownBy(() -> client(gateway, model).prompt().user("hi").stream().content().blockLast(WAIT))
                .isInstanceOf(ProviderTimeoutException.class)
                .hasMessageContaining("closed the stream before the answer finished");
        assertThat(gateway.getCallHistory("assistant", null)).singleElement()
                .satisfies(record -> assertThat(record.success()).isFalse());
    }

    @Test
    void withoutAnAgentIdTheStreamCountsForTheAgentOfTheSubscribersContext() {
        StreamingModel model = StreamingModel.answering("po", "ng");
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());
        ChatClient contextual = ChatClient.builder(model)
                .defaultAdvisors(GatewayAdvisor.builder(gateway).defaultModel(MODEL).build()).build();

        new GatewayContext("planner", null, null).run(() -> contextual.prompt().user("hi").stream().content().blockLast(WAIT));

        assertThat(gateway.getCallHistory("planner", null)).hasSize(1);
    }

    @Test
    void stoppingTheGatewayCutsARunningStreamAfterItsLastPieceAndClosesTheModelsStream() {
        AtomicBoolean cancelled = new AtomicBoolean();
        ChatModel endless = new ChatModel() {
            @Override
            public ChatResponse call(Prompt prompt) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Flux<ChatResponse> stream(Prompt prompt) {
                return Flux.just(StreamingModel.text("Half")).concatWith(Flux.never()).doOnCancel(() -> cancelled.set(true));
            }
        };
        Gateway gateway = gateway(ExecutionLimits.builder().maxSteps(5).build());
        List<String> pieces = new ArrayList<>();

        assertThatThrownBy(() -> client(gateway, endless).prompt().user("hi").stream().content()
                .doOnNext(piece -> {
                    pieces.add(piece);
                    gateway.stopAll();
                }).blockLast(WAIT))
                .isInstanceOf(GatewayStoppedException.class);

        assertThat(pieces).containsExactly("Half");
        assertThat(cancelled).isTrue();
        assertThat(gateway.getCallHistory("assistant", null)).singleElement().satisfies(record -> {
            assertThat(record.response().finishReason()).isEqualTo("stopped");
            assertThat(record.refusedBy()).isEqualTo("kill-switch");
        });
        assertThat(global(gateway).reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void manyThreadsStreamingAgainstOneBudgetNeverCommitMoreThanItAndTheHistoryAddsUpToTheLedger() throws Exception {
        // each completed stream costs 0.00045 (1000 prompt, 500 completion tokens of gpt-4o-mini): about 22 fit
        StreamingModel model = new StreamingModel(List.of("po", "ng"), true, null, new DefaultUsage(1000, 500));
        BigDecimal budget = new BigDecimal("0.01");
        Gateway gateway = gateway(ExecutionLimits.builder().maxBudget(budget.toPlainString()).build());
        ChatClient client = client(gateway, model);
        int threads = 16;
        int streams = 320;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(streams);
        for (int i = 0; i < streams; i++) {
            int n = i;
            pool.execute(() -> {
                try {
                    Flux<String> stream = client.prompt().user("ping " + n).stream().content();
                    (n % 3 == 0 ? stream.take(1) : stream).blockLast(WAIT);
                    completed.incrementAndGet();
                } catch (BudgetExceededException expected) {
                    refused.incrementAndGet();
                } catch (RuntimeException unexpected) {
                    other.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();

        ScopeUsage usage = global(gateway);
        assertThat(other).hasValue(0);
        assertThat(refused.get()).isPositive();
        assertThat(completed.get()).isPositive();
        assertThat(usage.committedCost()).isLessThanOrEqualTo(budget);
        assertThat(usage.reservedCost()).isEqualByComparingTo("0");
        BigDecimal recorded = gateway.getCallHistory(null, null).stream().map(CallRecord::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(recorded).isEqualByComparingTo(usage.committedCost());
        assertThat(model.streams.get()).isEqualTo(completed.get());
    }
}
