package dev.agentgateway.core.limits;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.TokenDetails;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.provider.UnpricedModelException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A budget is a hard limit: with providers that report what real ones would (the model's
 * tokenizer count, or one token per byte where the tokenizer is not public, and as many output
 * tokens as the cap allows), committed spend never passes the limit, however many threads call.
 */
class HardBudgetTest {

    private static final int THREADS = 64;
    /** What a provider writes when the request sets no output cap (its own default, far above the gateway's). */
    private static final int PROVIDER_DEFAULT_OUTPUT = 4096;
    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String CHINESE = "请根据以下信息总结本季度的销售情况，并列出三个主要风险和相应的应对措施。".repeat(20);
    private static final String JAPANESE = "次の文章を要約し、重要な点を箇条書きで三つ挙げてください。東京の天気は晴れです。".repeat(20);
    private static final String CODE = """
            for (int i = 0; i < n; i++) { if (a[i] != b[i]) { x ^= (a[i] << 3) | (b[i] >>> 2); } }
            """.repeat(30);

    /** A provider that answers at full length and reports input as {@code inputTokens} counts it. */
    private record HonestProvider(ToLongFunction<LlmRequest> inputTokens, AtomicInteger requests) implements LlmClient {
        HonestProvider(ToLongFunction<LlmRequest> inputTokens) {
            this(inputTokens, new AtomicInteger());
        }

        @Override
        public LlmResponse complete(LlmRequest request) {
            requests.incrementAndGet();
            long output = request.maxTokens() != null ? request.maxTokens() : PROVIDER_DEFAULT_OUTPUT;
            return new LlmResponse("…", List.of(), inputTokens.applyAsLong(request), output, null, request.model(),
                    request.provider(), 0, "length");
        }
    }

    /** OpenAI's own count: the o200k tokens of each message plus its framing (3 a message, 3 to prime the reply). */
    private static long openAiCount(LlmRequest request) {
        long tokens = 3;
        for (LlmMessage message : request.messages()) {
            tokens += 3 + O200K.countTokensOrdinary(message.content() == null ? "" : message.content());
            for (ToolCall call : message.toolCalls()) {
                tokens += O200K.countTokensOrdinary(call.name()) + O200K.countTokensOrdinary(call.arguments());
            }
        }
        return tokens;
    }

    /** The worst a byte-level tokenizer can do: one token a byte of everything sent, plus a few framing tokens a message. */
    private static long oneTokenPerByte(LlmRequest request) {
        long tokens = 0;
        for (LlmMessage message : request.messages()) {
            tokens += 4 + bytes(message.content()) + bytes(message.role().name().toLowerCase());
        }
        for (ToolSpec tool : request.tools()) {
            tokens += bytes(tool.name()) + bytes(tool.description()) + bytes(JSON.writeValueAsString(tool.parameters()));
        }
        return tokens;
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static Gateway gateway(String budget, LlmClient provider) {
        return Gateway.builder().limits(ExecutionLimits.builder().maxBudget(budget).build()).provider("p", provider).build();
    }

    /** Every thread calls until the budget refuses it. */
    private static void spendTogether(Gateway gateway, GatewayCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int calls = 0; calls < 1_000; calls++) {
                        try {
                            gateway.call(call);
                        } catch (BudgetExceededException refused) {
                            return null;
                        }
                    }
                    throw new AssertionError("the budget never refused a call");
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static GatewayCall call(String model, String prompt) {
        return GatewayCall.builder().agentId("writer").provider("p").model(model).system("Answer briefly.").user(prompt).build();
    }

    @Test
    void chinesePromptsToGpt4oOnSixtyFourThreadsNeverCommitMoreThanTheBudget() throws Exception {
        HonestProvider provider = new HonestProvider(HardBudgetTest::openAiCount);
        try (Gateway gateway = gateway("1.00", provider)) {
            spendTogether(gateway, call("gpt-4o", CHINESE));

            assertThat(gateway.metrics().totalCost()).isLessThanOrEqualTo(new BigDecimal("1.00"))
                    .as("the tokenizer's count leaves little unspent").isGreaterThan(new BigDecimal("0.95"));
            assertThat(gateway.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(provider.requests().get()).isGreaterThan(THREADS);
        }
    }

    @Test
    void japanesePromptsToClaudeNeverCommitMoreThanTheBudgetEvenAtOneTokenPerByte() throws Exception {
        HonestProvider provider = new HonestProvider(HardBudgetTest::oneTokenPerByte);
        try (Gateway gateway = gateway("1.00", provider)) {
            spendTogether(gateway, call("claude-sonnet-4-5", JAPANESE));

            assertThat(gateway.metrics().totalCost()).isLessThanOrEqualTo(new BigDecimal("1.00"));
            assertThat(provider.requests().get()).isPositive();
        }
    }

    @Test
    void codeWithToolSchemasToGeminiNeverCommitsMoreThanTheBudgetEvenAtOneTokenPerByte() throws Exception {
        HonestProvider provider = new HonestProvider(HardBudgetTest::oneTokenPerByte);
        ToolSpec search = ToolSpec.of("search_code", "Searches the repository for a symbol and returns matching lines "
                        + "with their file names and line numbers, at most 50 of them, sorted by relevance.",
                Map.of("type", "object", "properties", Map.of(
                        "symbol", Map.of("type", "string", "description", "The identifier to look for, e.g. 'HashMap'"),
                        "limit", Map.of("type", "integer", "minimum", 1, "maximum", 1000000, "default", 50)),
                        "required", List.of("symbol")));
        try (Gateway gateway = gateway("0.50", provider)) {
            spendTogether(gateway, call("gemini-2.5-pro", CODE).toBuilder().tool(search).build());

            assertThat(gateway.metrics().totalCost()).isLessThanOrEqualTo(new BigDecimal("0.50"));
        }
    }

    @Test
    void aRequestWithoutMaxTokensReachesTheProviderWithTheReservedCap() {
        List<LlmRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        LlmClient provider = request -> {
            seen.add(request);
            return LlmResponse.text("ok", 10, 1);
        };
        try (Gateway gateway = Gateway.builder().defaultMaxOutputTokens(300).provider("p", provider).build()) {
            gateway.call(call("gpt-4o", "Hello"));
            gateway.call(call("gpt-4o", "Hello").toBuilder().maxTokens(40).build());

            assertThat(seen).extracting(LlmRequest::maxTokens).containsExactly(300, 40);
        }
    }

    // ---- unpriced models ------------------------------------------------------------------------

    @Test
    void anUnpricedModelUnderABudgetIsRefusedBeforeTheProvider() {
        HonestProvider provider = new HonestProvider(request -> 10);
        try (Gateway gateway = gateway("1.00", provider)) {
            assertThatThrownBy(() -> gateway.call(call("house-llm-7b", "Hello")))
                    .isInstanceOfSatisfying(UnpricedModelException.class, refused -> {
                        assertThat(refused.model()).isEqualTo("house-llm-7b");
                        assertThat(refused).hasMessageContaining("agent-gateway.pricing.[house-llm-7b].input-per-million")
                                .hasMessageContaining("agent-gateway.allow-unpriced-models");
                    })
                    .isInstanceOf(GatewayException.class);
            assertThat(provider.requests().get()).isZero();
            assertThat(gateway.usage(LimitScope.global()).reservedSteps()).isZero();
        }
    }

    @Test
    void anUnpricedModelUnderAnAgentsBudgetIsRefusedToo() {
        HonestProvider provider = new HonestProvider(request -> 10);
        ExecutionLimits limits = ExecutionLimits.builder().perAgentMaxBudget("0.10").build();
        try (Gateway gateway = Gateway.builder().limits(limits).provider("p", provider).build()) {
            assertThatThrownBy(() -> gateway.call(call("house-llm-7b", "Hello"))).isInstanceOf(UnpricedModelException.class);
            assertThat(provider.requests().get()).isZero();
        }
    }

    @Test
    void anUnpricedModelWithoutAMoneyLimitRunsAndIsFlaggedUnpriced() {
        try (Gateway gateway = Gateway.builder().provider("p", new HonestProvider(request -> 10)).build()) {
            gateway.call(call("house-llm-7b", "Hello"));

            assertThat(gateway.getCallHistory(null, null)).singleElement().satisfies(record -> {
                assertThat(record.priced()).isFalse();
                assertThat(record.cost()).isEqualByComparingTo(BigDecimal.ZERO);
            });
        }
    }

    @Test
    void allowingUnpricedModelsLetsThemRunUnderABudget() {
        HonestProvider provider = new HonestProvider(request -> 10);
        try (Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxBudget("1.00").build())
                .allowUnpricedModels(true).provider("p", provider).build()) {
            gateway.call(call("house-llm-7b", "Hello"));

            assertThat(provider.requests().get()).isEqualTo(1);
        }
    }

    @Test
    void scriptedAndMockClientsPriceTheirOwnCallsSoTheyRunUnderABudget() {
        ScriptedLlmClient scripted = ScriptedLlmClient.sequence(ScriptedTurn.text("Done."));
        try (Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxBudget("1.00").build())
                .provider("scripted", scripted).provider("mock", MockLlmClient.create()).build()) {
            LlmResponse fromScript = gateway.call("a", "scripted", "any-model", "Hello");
            LlmResponse fromMock = gateway.call("a", "mock", "any-model", "Hello");

            assertThat(fromScript.cost()).isPositive();
            assertThat(fromMock.cost()).isPositive();
            assertThat(gateway.getCallHistory(null, null)).allSatisfy(record -> {
                assertThat(record.priced()).isTrue();
                assertThat(record.exceededReservation()).isFalse();
            });
        }
    }

    // ---- over-runs ------------------------------------------------------------------------------

    /** A client that ignores the cap: it writes ten times the max tokens it was sent. */
    private static LlmClient ignoringTheCap(AtomicInteger requests) {
        return request -> {
            requests.incrementAndGet();
            return new LlmResponse("…", List.of(), 20, 10L * request.maxTokens(), null, request.model(), request.provider(), 0,
                    "stop");
        };
    }

    @Test
    void aClientThatIgnoresTheCapIsFlaggedWithTheAmountOfItsOverrun() {
        List<ReservationOverrun> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Gateway gateway = Gateway.builder().defaultMaxOutputTokens(100)
                .listener(new GatewayListener() {
                    @Override
                    public void onReservationOverrun(ReservationOverrun overrun) {
                        events.add(overrun);
                    }
                })
                .provider("p", ignoringTheCap(new AtomicInteger())).build()) {
            gateway.call(call("gpt-4o", "Hello"));

            CallRecord record = gateway.getCallHistory(null, null).get(0);
            // 1000 output tokens at $10 per million against 100 reserved: $0.009 more than the reservation's output part
            assertThat(record.exceededReservation()).isTrue();
            assertThat(record.overrun()).isEqualByComparingTo(record.cost().subtract(events.get(0).reserved()));
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.callId()).isEqualTo(record.callId());
                assertThat(event.actual()).isEqualByComparingTo(record.cost());
                assertThat(event.amount()).isEqualByComparingTo(record.overrun()).isGreaterThan(new BigDecimal("0.0089"));
            });
        }
    }

    @Test
    void anOverrunIsCommittedAndCommittedSpendPassesTheLimitByAtMostTheSumOfOverruns() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (Gateway gateway = gateway("1.00", ignoringTheCap(requests))) {
            spendTogether(gateway, call("gpt-4o", "Hello"));

            // the refused calls are in the history too, without cost
            List<CallRecord> records = gateway.getCallHistory(null, null).stream().filter(CallRecord::success).toList();
            BigDecimal overruns = records.stream().map(CallRecord::overrun).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal spent = gateway.metrics().totalCost();
            assertThat(records).hasSize(requests.get()).allMatch(CallRecord::exceededReservation);
            assertThat(spent).as("actual spend is committed").isEqualByComparingTo(
                    records.stream().map(CallRecord::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(spent).isLessThanOrEqualTo(new BigDecimal("1.00").add(overruns));
            assertThat(gateway.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo(BigDecimal.ZERO);
        }
    }

    @Test
    void aCallWithinItsReservationHasNoOverrun() {
        try (Gateway gateway = gateway("1.00", new HonestProvider(HardBudgetTest::openAiCount))) {
            gateway.call(call("gpt-4o", CHINESE));

            CallRecord record = gateway.getCallHistory(null, null).get(0);
            assertThat(record.exceededReservation()).isFalse();
            assertThat(record.overrun()).isEqualByComparingTo(BigDecimal.ZERO);
        }
    }

    // ---- cached input and reasoning ---------------------------------------------------------------

    @Test
    void settledCostPricesCachedInputAtTheCachedPrice() {
        LlmClient cachingProvider = request -> new LlmResponse("ok", List.of(), 1000, 100, null, null, null, 0, "stop",
                new TokenDetails(800, 0, 60));
        try (Gateway gateway = Gateway.builder().provider("p", cachingProvider).build()) {
            LlmResponse response = gateway.call(call("gpt-4o", "Hello"));

            // 200 * $2.50 + 800 * $1.25 + 100 * $10.00 per million (the 60 reasoning tokens are part of the 100)
            assertThat(response.cost()).isEqualByComparingTo("0.0025");
            assertThat(response.tokenDetails().reasoningTokens()).isEqualTo(60);
            assertThat(gateway.getCallHistory(null, null).get(0).response().tokenDetails().cachedInputTokens()).isEqualTo(800);
        }
    }
}
