package dev.agentgateway.autoconfigure.provider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages: removes the API keys it was given, and anything shaped like a
 * bearer token or a well-known provider key, from text that may reach an exception, a log line or
 * a history record.
 */
public final class SecretRedactor {

    static final String MASK = "[REDACTED]";

    /** Provider key shapes (OpenAI/Anthropic sk-…, xAI xai-…, Google AIza…) and bearer tokens. */
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(?i)\\b(?:sk|xai|gsk|pk|key)-[A-Za-z0-9_\\-]{8,}|\\bAIza[A-Za-z0-9_\\-]{20,}|(?<=bearer )[A-Za-z0-9._~+/\\-]{8,}=*");

    private static final SecretRedactor NONE = new SecretRedactor(List.of());

    private final List<String> secrets;

    private SecretRedactor(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                kept.add(secret);
            }
        }
        this.secrets = List.copyOf(kept);
    }

    /** Redacts key-shaped text only. */
    public static SecretRedactor none() {
        return NONE;
    }

    /** Redacts {@code secrets} (blank or very short values are ignored) and key-shaped text. */
    public static SecretRedactor of(String... secrets) {
        return new SecretRedactor(secrets == null ? List.of() : java.util.Arrays.asList(secrets));
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        Matcher matcher = KEY_SHAPES.matcher(result);
        return matcher.find() ? matcher.replaceAll(MASK) : result;
    }

    /** Whether {@code text} holds something {@link #redact} would remove. */
    public boolean exposes(String text) {
        return text != null && !text.equals(redact(text));
    }

    /**
     * A throwable safe to attach as a cause: {@code failure} itself when no message in its chain
     * exposes a secret, else a copy of the chain with redacted messages and the original stack traces.
     */
    public Throwable safeCause(Throwable failure) {
        if (failure == null || !chainExposes(failure)) {
            return failure;
        }
        return copy(failure, 0);
    }

    private boolean chainExposes(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (exposes(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private Throwable copy(Throwable failure, int depth) {
        Throwable cause = failure.getCause() != null && failure.getCause() != failure && depth < 32
                ? copy(failure.getCause(), depth + 1) : null;
        RedactedFailure copy = new RedactedFailure(failure.getClass().getName(), redact(failure.getMessage()), cause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** Stands in for a failure whose message held a secret. */
    static final class RedactedFailure extends RuntimeException {

        private final String originalType;

        RedactedFailure(String originalType, String message, Throwable cause) {
            super(message, cause, false, true);
            this.originalType = originalType;
        }

        String originalType() {
            return originalType;
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? originalType : originalType + ": " + message;
        }
    }
}
