package dev.agentgateway.core.provider;

import dev.agentgateway.core.provider.internal.ChunkPublisher;
import dev.agentgateway.core.provider.internal.MockChunks;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's mock provider: a fixed or keyword-chosen answer, token counts, a cost, an optional
 * latency and an optional failure rate; it streams the same answer, shaped by a {@link MockStream}.
 * It counts the requests it receives so tests can assert
 * that a refused call never reached it.
 */
public final class MockLlmClient implements LlmClient {

    public static final String DEFAULT_RESPONSE = "This is a mock response.";
    /** What the mock charges when no fixed cost is set, so that a mock call is never free. */
    public static final ModelPrice DEFAULT_PRICE = ModelPrice.of("1.00", "2.00");
    private static final int RECENT_REQUESTS_KEPT = 1_000;
    private static final TokenCounter TOKENS = TokenCounter.standard();

    private final String defaultResponse;
    private final Map<String, String> keywordResponses;
    private final Long inputTokens;
    private final Long outputTokens;
    private final BigDecimal minCost;
    private final BigDecimal maxCost;
    private final ModelPrice price;
    private final Duration latency;
    private final double failureRate;
    private final Random random;
    private final MockStream streaming;
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger cancelledStreams = new AtomicInteger();
    private final ConcurrentLinkedDeque<LlmRequest> recentRequests = new ConcurrentLinkedDeque<>();

    private MockLlmClient(Builder builder) {
        this.defaultResponse = builder.defaultResponse;
        this.keywordResponses = new LinkedHashMap<>(builder.keywordResponses);
        this.inputTokens = builder.inputTokens;
        this.outputTokens = builder.outputTokens;
        this.minCost = builder.minCost;
        this.maxCost = builder.maxCost;
        this.price = builder.price;
        this.latency = builder.latency;
        this.failureRate = builder.failureRate;
        this.streaming = builder.streaming;
        this.random = builder.seed == null ? new Random() : new Random(builder.seed);
    }

    public static MockLlmClient create() {
        return builder().build();
    }

    public static MockLlmClient answering(String response) {
        return builder().defaultResponse(response).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public LlmResponse complete(LlmRequest request) {
        requestCount.incrementAndGet();
        remember(request);
        sleepForLatency();
        return answer(request);
    }

    /**
     * The same answer as {@link #complete}, streamed as {@link Builder#streaming} says: the request
     * counts when a subscriber arrives (when a real client would send it), the latency is waited
     * before the first chunk, and the failure rate fails the stream before its first chunk.
     */
    @Override
    public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
        return new ChunkPublisher(request.provider(), () -> {
            requestCount.incrementAndGet();
            remember(request);
            LlmResponse answer = answer(request);
            return MockChunks.of(answer.model(), answer.content(), List.of(), answer.inputTokens(), answer.outputTokens(),
                    answer.cost(), streaming);
        }, latency, streaming, cancelledStreams::incrementAndGet);
    }

    private LlmResponse answer(LlmRequest request) {
        if (failureRate > 0 && nextDouble() < failureRate) {
            throw new ProviderServerException("mock", 500, "Mock provider failure (failure rate " + failureRate + ")", null);
        }
        String content = responseFor(request);
        long in = inputTokens != null ? inputTokens : TOKENS.inputTokens(request);
        long out = outputTokens != null ? outputTokens : TOKENS.tokens(request.model(), content);
        return new LlmResponse(content, List.of(), in, out, costOf(in, out), request.model(), request.provider(),
                latency.toMillis(), "stop");
    }

    @Override
    public Optional<BigDecimal> estimateCost(LlmRequest request) {
        if (maxCost != null) {
            return Optional.of(maxCost);
        }
        // the mock's answer and token counts are known before it answers: its estimate is its cost
        long in = inputTokens != null ? inputTokens : TOKENS.inputTokens(request);
        long out = outputTokens != null ? outputTokens : TOKENS.tokens(request.model(), responseFor(request));
        return Optional.of(price.cost(in, out));
    }

    /** How many requests reached this mock. */
    public int requestCount() {
        return requestCount.get();
    }

    /** The most recent requests (up to a thousand), oldest first. */
    public List<LlmRequest> requests() {
        return new ArrayList<>(recentRequests);
    }

    /** How many streams a subscriber cancelled before they ended (a real client closes the connection). */
    public int cancelledStreams() {
        return cancelledStreams.get();
    }

    public void resetCounts() {
        requestCount.set(0);
        cancelledStreams.set(0);
        recentRequests.clear();
    }

    private String responseFor(LlmRequest request) {
        String prompt = request.lastUserMessage().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> entry : keywordResponses.entrySet()) {
            if (prompt.contains(entry.getKey())) {
                return entry.getValue();
            }
        }
        return defaultResponse;
    }

    private BigDecimal costOf(long in, long out) {
        if (minCost == null) {
            return price.cost(in, out);
        }
        if (minCost.equals(maxCost)) {
            return minCost;
        }
        BigDecimal span = maxCost.subtract(minCost);
        return minCost.add(span.multiply(BigDecimal.valueOf(nextDouble()))).setScale(minCost.scale() + 6, java.math.RoundingMode.HALF_UP);
    }

    private double nextDouble() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private void remember(LlmRequest request) {
        recentRequests.addLast(request);
        if (requestCount.get() > RECENT_REQUESTS_KEPT) {
            recentRequests.pollFirst();
        }
    }

    private void sleepForLatency() {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderTimeoutException("mock", "Interrupted while simulating latency", e);
        }
    }

    public static final class Builder {
        private String defaultResponse = DEFAULT_RESPONSE;
        private final Map<String, String> keywordResponses = new LinkedHashMap<>();
        private Long inputTokens;
        private Long outputTokens;
        private BigDecimal minCost;
        private BigDecimal maxCost;
        private ModelPrice price = DEFAULT_PRICE;
        private Duration latency = Duration.ZERO;
        private double failureRate;
        private Long seed;
        private MockStream streaming = MockStream.DEFAULT;

        private Builder() {
        }

        public Builder defaultResponse(String response) {
            this.defaultResponse = Objects.requireNonNull(response, "response");
            return this;
        }

        /** Answer {@code response} when the last user message contains {@code keyword} (case-insensitive). */
        public Builder respond(String keyword, String response) {
            keywordResponses.put(keyword.toLowerCase(Locale.ROOT), Objects.requireNonNull(response, "response"));
            return this;
        }

        public Builder responses(Map<String, String> responses) {
            responses.forEach(this::respond);
            return this;
        }

        public Builder tokens(long input, long output) {
            this.inputTokens = input;
            this.outputTokens = output;
            return this;
        }

        /** Every call costs exactly {@code cost} USD. */
        public Builder costPerCall(BigDecimal cost) {
            return costBetween(cost, cost);
        }

        public Builder costPerCall(String cost) {
            return costPerCall(new BigDecimal(cost));
        }

        /** Each call costs a random amount in [{@code min}, {@code max}]; the estimate is {@code max}. */
        public Builder costBetween(BigDecimal min, BigDecimal max) {
            if (min.signum() < 0 || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("cost range must satisfy 0 <= min <= max");
            }
            this.minCost = min;
            this.maxCost = max;
            return this;
        }

        /** Price tokens at {@code price} instead of a fixed cost per call. */
        public Builder price(ModelPrice price) {
            this.price = Objects.requireNonNull(price, "price");
            this.minCost = null;
            this.maxCost = null;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Share of calls, from 0 to 1, that fail with a {@link ProviderServerException}. */
        public Builder failureRate(double failureRate) {
            if (failureRate < 0 || failureRate > 1) {
                throw new IllegalArgumentException("failureRate must be between 0 and 1, was " + failureRate);
            }
            this.failureRate = failureRate;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How {@link MockLlmClient#stream} cuts and delivers the answer ({@link MockStream#DEFAULT} unless set). */
        public Builder streaming(MockStream streaming) {
            this.streaming = Objects.requireNonNull(streaming, "streaming");
            return this;
        }

        public MockLlmClient build() {
            return new MockLlmClient(this);
        }
    }
}
