package dev.agentgateway.autoconfigure.actuate;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets and, when asked, conversation content out of what the gateway's endpoints and
 * spans show. Every string of an endpoint's answer goes through {@link #sanitize(Object)}: the
 * values of secret-looking properties of the environment (API keys, passwords, tokens) and text
 * shaped like a provider key or a bearer token are masked, whatever field they turn up in (an
 * error message echoing a key, say). Content redaction ({@code agent-gateway.history.redact-content})
 * masks prompts, answers, tool arguments, tool results and workflow state.
 */
public final class EndpointSanitizer {

    /** What masked text is replaced by. */
    public static final String MASK = "******";

    /** Property names whose values are secrets: {@code …api-key}, {@code …secret}, {@code …password}, {@code …token}. */
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            "(?i).*(api[-_.]?key|apikey|secret|password|passwd|token|credentials?|private[-_.]?key)$");

    /** Provider key shapes (OpenAI/Anthropic sk-…, xAI xai-…, Groq gsk_…, Google AIza…) and bearer tokens. */
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "\\b(?:sk|xai|gsk|sk-ant|sk-proj)[-_][A-Za-z0-9_\\-]{8,}|\\bAIza[A-Za-z0-9_\\-]{20,}|(?i)(?<=bearer )[A-Za-z0-9._~+/\\-]{8,}=*");

    /** Secrets shorter than this are not searched for: masking "true" or "abc" everywhere would garble output. */
    private static final int MIN_SECRET_LENGTH = 6;

    private final List<String> secrets;
    private final boolean redactContent;

    public EndpointSanitizer(Collection<String> secrets, boolean redactContent) {
        Set<String> kept = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
                kept.add(secret.strip());
            }
        }
        List<String> ordered = new ArrayList<>(kept);
        ordered.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a key containing another
        this.secrets = List.copyOf(ordered);
        this.redactContent = redactContent;
    }

    /** The values of every secret-looking property of {@code environment}. */
    public static List<String> secretsOf(Environment environment) {
        List<String> values = new ArrayList<>();
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return values;
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!SECRET_PROPERTY.matcher(name).matches()) {
                    continue;
                }
                Object value = enumerable.getProperty(name);
                if (value != null) {
                    values.add(String.valueOf(value));
                }
            }
        }
        return values;
    }

    public boolean isRedactContent() {
        return redactContent;
    }

    /** Conversation content: masked when content redaction is on. */
    public String content(String text) {
        return redactContent && text != null ? MASK : text;
    }

    /** Any other content-bearing value (workflow state, say): masked when content redaction is on. */
    public Object contentValue(Object value) {
        return redactContent && value != null ? MASK : value;
    }

    /** {@code text} with every secret and key-shaped substring masked. */
    public String scrub(String text) {
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

    /** Whether {@link #scrub} would change {@code text}. */
    public boolean exposes(String text) {
        return text != null && !text.equals(scrub(text));
    }

    /**
     * A copy of an endpoint answer (nested maps, lists, strings, numbers, booleans) with every string,
     * map keys included, {@linkplain #scrub scrubbed}.
     */
    public Object sanitize(Object value) {
        if (value instanceof String text) {
            return scrub(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(scrub(String.valueOf(key)), sanitize(child)));
            return copy;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            collection.forEach(item -> copy.add(sanitize(item)));
            return copy;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> sanitizeMap(Map<String, ?> map) {
        return (Map<String, Object>) sanitize(map);
    }

    /**
     * {@code failure} itself when no message of its cause chain exposes a secret; otherwise a stand-in
     * chain with masked messages (same types in the text, same stack traces), safe to hand to a tracer.
     */
    public Throwable safe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (exposes(t.getMessage())) {
                return copy(failure, 0);
            }
        }
        return failure;
    }

    private Throwable copy(Throwable failure, int depth) {
        Throwable cause = failure.getCause() != null && failure.getCause() != failure && depth < 16
                ? copy(failure.getCause(), depth + 1) : null;
        SanitizedFailure copy = new SanitizedFailure(failure.getClass().getName(), scrub(failure.getMessage()), cause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** Stands in for a failure whose message held a secret. */
    static final class SanitizedFailure extends RuntimeException {

        private final String originalType;

        SanitizedFailure(String originalType, String message, Throwable cause) {
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
