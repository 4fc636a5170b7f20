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

    /** Characters of a JSON schema's keys and string values, walked without printing it (it is on every call). */
    private static int schemaLength(Object node) {
        if (node instanceof java.util.Map<?, ?> map) {
            int length = 2;
            for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
                length += String.valueOf(entry.getKey()).length() + 4 + schemaLength(entry.getValue());
            }
            return length;
        }
        if (node instanceof java.util.Collection<?> items) {
            int length = 2;
            for (Object item : items) {
                length += schemaLength(item) + 1;
            }
            return length;
        }
        return node instanceof CharSequence text ? text.length() + 2 : 5;
    }

    /** Prompt tokens of a request, with a small per-message overhead as chat formats add one. */
    public static long estimate(LlmRequest request) {
        long chars = request.contentLength();
        for (ToolSpec tool : request.tools()) {
            chars += tool.name().length() + tool.description().length() + schemaLength(tool.parameters());
        }
        return Math.max(1, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + 4L * request.messages().size());
    }
}
