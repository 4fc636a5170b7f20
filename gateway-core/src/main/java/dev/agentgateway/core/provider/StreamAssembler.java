package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Folds the chunks of one stream into the {@link LlmResponse} a blocking call would have returned:
 * the text, the tool calls (id and name from their first pieces, arguments concatenated), the
 * largest token counts reported, the finish reason and the model. It can be read at any time, so
 * that a stream cut half way is settled for what it delivered.
 *
 * <p>Not thread-safe: a publisher signals one chunk at a time, and the assembler is fed from its
 * subscriber.
 */
public final class StreamAssembler {

    private final LlmRequest request;
    private final StringBuilder text = new StringBuilder();
    private final TreeMap<Integer, PendingToolCall> toolCalls = new TreeMap<>();
    private long inputTokens;
    private long outputTokens;
    private long cachedInputTokens;
    private long cacheWriteTokens;
    private long reasoningTokens;
    private BigDecimal cost;
    private boolean usageReported;
    private String finishReason;
    private String model;
    private int chunks;

    public StreamAssembler(LlmRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    /**
     * Adds the next chunk.
     *
     * @throws ProviderBadResponseException when a tool call's piece contradicts an earlier one (another id or name)
     */
    public void accept(LlmChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        chunks++;
        if (chunk instanceof LlmChunk.Text piece) {
            text.append(piece.delta());
        } else if (chunk instanceof LlmChunk.ToolCallDelta delta) {
            toolCalls.computeIfAbsent(delta.index(), index -> new PendingToolCall()).add(delta, request.provider());
        } else if (chunk instanceof LlmChunk.Usage usage) {
            addUsage(usage);
        } else if (chunk instanceof LlmChunk.Finish finish) {
            finishReason = finish.reason();
        } else if (chunk instanceof LlmChunk.Model named) {
            model = named.model();
        }
    }

    /** The text delivered so far. */
    public String text() {
        return text.toString();
    }

    /** How many chunks were added. */
    public int chunkCount() {
        return chunks;
    }

    /** Whether the provider reported any token counts in the stream. */
    public boolean usageReported() {
        return usageReported;
    }

    /** The finish reason the provider sent, empty while it sent none (a stream cut short). */
    public Optional<String> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    /** Whether any tool call has started. */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    /**
     * The whole answer of a stream that completed. Counts the provider did not report are counted as
     * the gateway counts them before a call (the prompt, and the text and tool calls received); a tool
     * call that asks for tools is finished {@code tool_calls} whatever the provider said (Gemini and
     * Ollama say {@code stop}).
     *
     * @throws ProviderBadResponseException when the stream held no answer, or a tool call without a name
     */
    public LlmResponse response(long latencyMs, TokenCounter counter) {
        List<ToolCall> calls = new ArrayList<>();
        for (var entry : toolCalls.entrySet()) {
            PendingToolCall pending = entry.getValue();
            if (pending.name == null || pending.name.isBlank()) {
                throw new ProviderBadResponseException(request.provider(),
                        "The stream of provider '" + request.provider() + "' asked for tool call #" + entry.getKey()
                                + " without a tool name", null);
            }
            calls.add(pending.toToolCall());
        }
        if (text.isEmpty() && calls.isEmpty() && finishReason == null) {
            throw new ProviderBadResponseException(request.provider(),
                    "The stream of provider '" + request.provider() + "' ended without an answer (" + chunks + " chunks)", null);
        }
        String reason = !calls.isEmpty() ? "tool_calls" : finishReason == null ? "stop" : finishReason;
        long output = counted(outputTokens, counter, calls);
        return build(calls, counter, output, latencyMs, reason);
    }

    /**
     * What a stream cut short delivered (an error, a cancel, a cut-off): never throws. Tool calls
     * without a name are left out; the output counted from what was received is charged whenever it
     * is more than the provider reported so far (the final usage of a cut stream never arrives). The
     * finish reason is the provider's, or {@code null} when it sent none; the caller says why the
     * stream ended.
     */
    public LlmResponse partialResponse(long latencyMs, TokenCounter counter) {
        List<ToolCall> calls = new ArrayList<>();
        for (PendingToolCall pending : toolCalls.values()) {
            if (pending.name != null && !pending.name.isBlank()) {
                calls.add(pending.toToolCall());
            }
        }
        long output = Math.max(outputTokens, countOutput(counter, calls));
        return build(calls, counter, output, latencyMs, finishReason);
    }

    private LlmResponse build(List<ToolCall> calls, TokenCounter counter, long output, long latencyMs, String reason) {
        long input = inputTokens > 0 ? inputTokens : counter.inputTokens(request);
        String content = text.isEmpty() && !calls.isEmpty() ? null : text.toString();
        TokenDetails details = TokenDetails.of(Math.min(cachedInputTokens, input), Math.min(cacheWriteTokens, input),
                Math.min(reasoningTokens, output));
        return new LlmResponse(content, calls, input, output, cost, model == null ? request.model() : model,
                request.provider(), latencyMs, reason, details);
    }

    private long counted(long reported, TokenCounter counter, List<ToolCall> calls) {
        return reported > 0 ? reported : countOutput(counter, calls);
    }

    private long countOutput(TokenCounter counter, List<ToolCall> calls) {
        String countedModel = model == null ? request.model() : model;
        long tokens = counter.tokens(countedModel, text.toString());
        for (ToolCall call : calls) {
            tokens += counter.tokens(countedModel, call.name()) + counter.tokens(countedModel, call.arguments());
        }
        return tokens;
    }

    private void addUsage(LlmChunk.Usage usage) {
        usageReported = true;
        inputTokens = Math.max(inputTokens, usage.inputTokens());
        outputTokens = Math.max(outputTokens, usage.outputTokens());
        cachedInputTokens = Math.max(cachedInputTokens, usage.details().cachedInputTokens());
        cacheWriteTokens = Math.max(cacheWriteTokens, usage.details().cacheWriteTokens());
        reasoningTokens = Math.max(reasoningTokens, usage.details().reasoningTokens());
        if (usage.cost() != null) {
            cost = usage.cost();
        }
    }

    /** A tool call while its pieces arrive. */
    private static final class PendingToolCall {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();

        void add(LlmChunk.ToolCallDelta delta, String provider) {
            id = same("id", id, delta, delta.id(), provider);
            name = same("name", name, delta, delta.name(), provider);
            arguments.append(delta.argumentsDelta());
        }

        private static String same(String what, String known, LlmChunk.ToolCallDelta delta, String sent, String provider) {
            if (sent == null || sent.isEmpty()) {
                return known;
            }
            if (known != null && !known.equals(sent)) {
                throw new ProviderBadResponseException(provider, "The stream of provider '" + provider + "' changed the "
                        + what + " of tool call #" + delta.index() + " from '" + known + "' to '" + sent + "'", null);
            }
            return sent;
        }

        ToolCall toToolCall() {
            if (id == null || id.isBlank()) {
                // Gemini and Ollama give no ids; the tool result must still name its call
                id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            }
            return new ToolCall(id, name, arguments.toString());
        }
    }
}
