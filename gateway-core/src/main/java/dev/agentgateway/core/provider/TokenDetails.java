package dev.agentgateway.core.provider;

/**
 * Parts of a call's token counts that are priced or reported apart, where the provider reports
 * them: input read from the prompt cache and written to it (both part of
 * {@link LlmResponse#inputTokens()}), and reasoning (part of {@link LlmResponse#outputTokens()}).
 */
public record TokenDetails(long cachedInputTokens, long cacheWriteTokens, long reasoningTokens) {

    /** Nothing cached, nothing reasoned, or nothing reported. */
    public static final TokenDetails NONE = new TokenDetails(0, 0, 0);

    public TokenDetails {
        if (cachedInputTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public static TokenDetails of(long cachedInputTokens, long cacheWriteTokens, long reasoningTokens) {
        return cachedInputTokens == 0 && cacheWriteTokens == 0 && reasoningTokens == 0 ? NONE
                : new TokenDetails(cachedInputTokens, cacheWriteTokens, reasoningTokens);
    }
}
