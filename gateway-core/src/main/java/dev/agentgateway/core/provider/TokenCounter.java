package dev.agentgateway.core.provider;

import dev.agentgateway.core.provider.internal.ModelTokenCounter;

/**
 * Counts tokens before a call is sent, so that a reservation is an upper bound of what the call
 * can cost. A model whose tokenizer is public (OpenAI's: {@code o200k_base} for GPT-4o, GPT-4.1,
 * GPT-5 and the o-series, {@code cl100k_base} for GPT-4 and GPT-3.5) is counted with it; any other
 * model is bounded by one token per UTF-8 byte of what is sent, which no byte-level tokenizer
 * exceeds. Framing the provider adds (role markers, the rendering of tool definitions) is counted
 * with a margin.
 */
public interface TokenCounter {

    /** Input tokens {@code request} costs at most on its model: messages, tool calls, tool definitions, framing. */
    long inputTokens(LlmRequest request);

    /** Tokens of {@code text} on {@code model}: its tokenizer's count, or the byte bound. */
    long tokens(String model, String text);

    /** Whether {@code model}'s count is its real tokenizer's rather than the byte bound. */
    boolean hasTokenizer(String model);

    /** The counter the gateway uses: jtokkit for OpenAI's models, the byte bound elsewhere; encodings loaded once. */
    static TokenCounter standard() {
        return ModelTokenCounter.INSTANCE;
    }
}
