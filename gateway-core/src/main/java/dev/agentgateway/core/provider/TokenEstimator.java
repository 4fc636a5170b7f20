package dev.agentgateway.core.provider;

/**
 * Rough token counts from text length (about four characters a token for English prose), used
 * where no tokenizer is at hand: budget estimates before a call, and offline clients.
 */
public final class TokenEstimator {

    private static final int CHARS_PER_TOKEN = 4;

    private TokenEstimator() {
    }

    public static long estimate(String text) {
        return text == null || text.isEmpty() ? 0 : Math.max(1, (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }

    /** Prompt tokens of a request, with a small per-message overhead as chat formats add one. */
    public static long estimate(LlmRequest request) {
        long chars = request.contentLength();
        for (ToolSpec tool : request.tools()) {
            chars += tool.name().length() + tool.description().length() + tool.parameters().toString().length();
        }
        return Math.max(1, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + 4L * request.messages().size());
    }
}
