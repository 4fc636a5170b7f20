package dev.agentgateway.core.secrets;

import dev.agentgateway.core.GatewayException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages: removes the API keys it was given, and anything shaped like a
 * bearer token or a well-known provider key, from text that may reach an exception, a log line, a
 * history record, an Actuator endpoint or a span. The one set of redaction rules of the project:
 * the gateway, the provider adapters, the endpoints and the spans all use it. Immutable.
 */
public final class SecretRedactor {

    /** What a secret is replaced by. */
    public static final String MASK = "******";

    /** Provider key shapes (OpenAI/Anthropic sk-…, xAI xai-…, Groq gsk_…, Google AIza…) and bearer tokens. */
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(?i)\\b(?:sk|xai|gsk|pk|key)[-_][A-Za-z0-9_\\-]{8,}|\\bAIza[A-Za-z0-9_\\-]{20,}|(?<=bearer )[A-Za-z0-9._~+/\\-]{8,}=*");

    /** Secrets shorter than this are not searched for: masking "true" or "abc" everywhere would garble text. */
    private static final int MIN_SECRET_LENGTH = 6;

    private static final SecretRedactor NONE = new SecretRedactor(List.of());

    private final List<String> secrets;

    private SecretRedactor(Collection<String> secrets) {
        Set<String> kept = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
                kept.add(secret.strip());
            }
        }
        List<String> ordered = new ArrayList<>(kept);
        ordered.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a key containing another
        this.secrets = List.copyOf(ordered);
    }

    /** Redacts key-shaped text only. */
    public static SecretRedactor none() {
        return NONE;
    }

    /** Redacts {@code secrets} (blank or very short values are ignored) and key-shaped text. */
    public static SecretRedactor of(String... secrets) {
        return new SecretRedactor(secrets == null ? List.of() : Arrays.asList(secrets));
    }

    public static SecretRedactor of(Collection<String> secrets) {
        return new SecretRedactor(secrets);
    }

    /** This redactor with one secret more (a blank or very short one changes nothing). */
    public SecretRedactor with(String secret) {
        if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH || secrets.contains(secret.strip())) {
            return this;
        }
        List<String> more = new ArrayList<>(secrets);
        more.add(secret);
        return new SecretRedactor(more);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
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

    /** Whether a message of {@code failure} or of one of its causes holds something {@link #redact} would remove. */
    public boolean exposedIn(Throwable failure) {
        return failure != null && chainExposes(failure);
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

    /** Stands in for a failure whose message held a secret: its type in the text, its stack trace, no secret. */
    private static final class RedactedFailure extends GatewayException {

        private final String originalType;

        RedactedFailure(String originalType, String message, Throwable cause) {
            super(message, cause);
            this.originalType = originalType;
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? originalType : originalType + ": " + message;
        }
    }
}
