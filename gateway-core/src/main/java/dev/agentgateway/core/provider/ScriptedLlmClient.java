package dev.agentgateway.core.provider;

import dev.agentgateway.core.provider.internal.ChunkPublisher;
import dev.agentgateway.core.provider.internal.MockChunks;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An offline model that plays a script, so tool-calling runs work without a network and give
 * the same answers every time. The script is a list of rules, tried in order: the first whose
 * condition matches the request decides the turn. A client made with {@link #sequence} instead
 * plays its turns one after the other, whatever the request.
 *
 * <p>It prices its own calls ({@link MockLlmClient#DEFAULT_PRICE} unless {@link #pricedAt} says
 * otherwise), so scripted runs work under a budget whatever model name they use. Its tokens are
 * counted as the gateway counts them, and it reserves the request's max tokens of output.
 *
 * <pre>{@code
 * ScriptedLlmClient.builder()
 *     .when(ScriptedLlmClient.lastMessageIsToolResult("add"),
 *           request -> ScriptedTurn.text("The sum is " + request.lastMessage().content()))
 *     .when(ScriptedLlmClient.userMessageContains("add"), ScriptedTurn.toolCall("add", "{\"a\":2,\"b\":3}"))
 *     .otherwise(ScriptedTurn.text("I can only add."))
 *     .build();
 * }</pre>
 */
public final class ScriptedLlmClient implements LlmClient {

    private record Rule(Predicate<LlmRequest> condition, Function<LlmRequest, ScriptedTurn> turn) {
    }

    private static final TokenCounter TOKENS = TokenCounter.standard();
    /** Output reserved for a request without max tokens (the gateway always sends them). */
    private static final int UNCAPPED_OUTPUT_RESERVED = 1024;

    private final List<Rule> rules;
    private final List<ScriptedTurn> sequence;
    private final ModelPrice price;
    private final MockStream streaming;
    private final AtomicInteger position = new AtomicInteger();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger cancelledStreams = new AtomicInteger();
    private final AtomicLong toolCallIds = new AtomicLong();
    private static final int RECENT_REQUESTS_KEPT = 1_000;

    private final java.util.LinkedList<LlmRequest> requests = new java.util.LinkedList<>();

    private ScriptedLlmClient(List<Rule> rules, List<ScriptedTurn> sequence, ModelPrice price, MockStream streaming) {
        this.rules = List.copyOf(rules);
        this.sequence = List.copyOf(sequence);
        this.price = Objects.requireNonNull(price, "price");
        this.streaming = Objects.requireNonNull(streaming, "streaming");
    }

    /** The same script, charging {@code newPrice} for its tokens. */
    public ScriptedLlmClient pricedAt(ModelPrice newPrice) {
        return new ScriptedLlmClient(rules, sequence, newPrice, streaming);
    }

    /** The same script, streamed as {@code newStreaming} says ({@link MockStream#DEFAULT} unless set). */
    public ScriptedLlmClient streaming(MockStream newStreaming) {
        return new ScriptedLlmClient(rules, sequence, price, newStreaming);
    }

    /** Plays {@code turns} in order, one per request; a request after the last turn fails. */
    public static ScriptedLlmClient sequence(ScriptedTurn... turns) {
        if (turns.length == 0) {
            throw new IllegalArgumentException("a sequence needs at least one turn");
        }
        return new ScriptedLlmClient(List.of(), List.of(turns), MockLlmClient.DEFAULT_PRICE, MockStream.DEFAULT);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public LlmResponse complete(LlmRequest request) {
        return play(request);
    }

    /**
     * The next turn, streamed as {@link #streaming(MockStream)} says. The turn is played when a
     * subscriber arrives (when a real client would send the request), so a stream never subscribed
     * to does not advance a {@link #sequence}.
     */
    @Override
    public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
        return new ChunkPublisher(request.provider(), () -> {
            LlmResponse turn = play(request);
            return MockChunks.of(turn.model(), turn.content(), turn.toolCalls(), turn.inputTokens(), turn.outputTokens(),
                    turn.cost(), streaming);
        }, Duration.ZERO, streaming, cancelledStreams::incrementAndGet);
    }

    private LlmResponse play(LlmRequest request) {
        requestCount.incrementAndGet();
        synchronized (requests) {
            requests.add(request);
            if (requests.size() > RECENT_REQUESTS_KEPT) {
                requests.remove(0);
            }
        }
        ScriptedTurn turn = sequence.isEmpty() ? fromRules(request) : nextInSequence();
        List<ToolCall> calls = turn.toolCalls().stream()
                .map(planned -> new ToolCall("call_" + toolCallIds.incrementAndGet(), planned.name(), planned.arguments()))
                .toList();
        long in = TOKENS.inputTokens(request);
        long out = TOKENS.tokens(request.model(), turn.content())
                + calls.stream().mapToLong(c -> TOKENS.tokens(request.model(), c.name() + c.arguments())).sum();
        return new LlmResponse(turn.content(), calls, in, out, price.cost(in, out), request.model(), request.provider(), 0,
                calls.isEmpty() ? "stop" : "tool_calls");
    }

    /** The prompt as counted, and the request's whole output cap. */
    @Override
    public Optional<BigDecimal> estimateCost(LlmRequest request) {
        int output = request.maxTokens() != null ? request.maxTokens() : UNCAPPED_OUTPUT_RESERVED;
        return Optional.of(price.cost(TOKENS.inputTokens(request), output));
    }

    public int requestCount() {
        return requestCount.get();
    }

    /** How many streams a subscriber cancelled before they ended (a real client closes the connection). */
    public int cancelledStreams() {
        return cancelledStreams.get();
    }

    /** The most recent requests this client received (up to a thousand), oldest first. */
    public List<LlmRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private ScriptedTurn fromRules(LlmRequest request) {
        for (Rule rule : rules) {
            if (rule.condition().test(request)) {
                return Objects.requireNonNull(rule.turn().apply(request), "a script rule returned no turn");
            }
        }
        throw new ProviderBadResponseException(request.provider(),
                "The script has no rule for this request (last message: " + describe(request.lastMessage()) + ")", null);
    }

    private ScriptedTurn nextInSequence() {
        int index = position.getAndIncrement();
        if (index >= sequence.size()) {
            throw new ProviderBadResponseException("scripted",
                    "The script is exhausted: it has " + sequence.size() + " turns and was asked for turn " + (index + 1), null);
        }
        return sequence.get(index);
    }

    private static String describe(LlmMessage message) {
        if (message == null) {
            return "none";
        }
        String content = message.content() == null ? "" : message.content();
        return message.role().name().toLowerCase(Locale.ROOT) + " \"" + (content.length() > 60 ? content.substring(0, 60) + "…" : content) + "\"";
    }

    // ---- conditions -------------------------------------------------------------------------

    /** The last user message contains {@code text} (case-insensitive). */
    public static Predicate<LlmRequest> userMessageContains(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        return request -> request.lastUserMessage().toLowerCase(Locale.ROOT).contains(needle);
    }

    /** The system prompt contains {@code text} (case-insensitive): tells agents apart. */
    public static Predicate<LlmRequest> systemPromptContains(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        return request -> request.messages().stream()
                .anyMatch(m -> m.role() == LlmMessage.Role.SYSTEM && m.content() != null
                        && m.content().toLowerCase(Locale.ROOT).contains(needle));
    }

    /** The conversation ends with the result of tool {@code toolName}. */
    public static Predicate<LlmRequest> lastMessageIsToolResult(String toolName) {
        return request -> {
            LlmMessage last = request.lastMessage();
            return last != null && last.role() == LlmMessage.Role.TOOL && toolName.equals(last.name());
        };
    }

    /** The conversation holds exactly {@code count} tool results so far. */
    public static Predicate<LlmRequest> toolResultCount(int count) {
        return request -> request.messages().stream().filter(m -> m.role() == LlmMessage.Role.TOOL).count() == count;
    }

    /** Tools are offered in the request. */
    public static Predicate<LlmRequest> toolsOffered() {
        return request -> !request.tools().isEmpty();
    }

    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        public Builder when(Predicate<LlmRequest> condition, ScriptedTurn turn) {
            Objects.requireNonNull(turn, "turn");
            return when(condition, request -> turn);
        }

        public Builder when(Predicate<LlmRequest> condition, Function<LlmRequest, ScriptedTurn> turn) {
            rules.add(new Rule(Objects.requireNonNull(condition, "condition"), Objects.requireNonNull(turn, "turn")));
            return this;
        }

        /** The turn played when no rule matched. */
        public Builder otherwise(ScriptedTurn turn) {
            return when(request -> true, turn);
        }

        public Builder otherwise(Function<LlmRequest, ScriptedTurn> turn) {
            return when(request -> true, turn);
        }

        public ScriptedLlmClient build() {
            if (rules.isEmpty()) {
                throw new IllegalStateException("a script needs at least one rule");
            }
            return new ScriptedLlmClient(rules, List.of(), MockLlmClient.DEFAULT_PRICE, MockStream.DEFAULT);
        }
    }
}
