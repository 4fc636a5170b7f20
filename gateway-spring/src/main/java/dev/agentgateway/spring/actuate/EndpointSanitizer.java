package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.secrets.SecretRedactor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    public static final String MASK = SecretRedactor.MASK;

    /** Property names whose values are secrets: {@code …api-key}, {@code …secret}, {@code …password}, {@code …token}. */
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            "(?i).*(api[-_.]?key|apikey|secret|password|passwd|token|credentials?|private[-_.]?key)$");

    private final SecretRedactor redactor;
    private final boolean redactContent;

    public EndpointSanitizer(Collection<String> secrets, boolean redactContent) {
        this.redactor = SecretRedactor.of(secrets);
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
        return redactor.redact(text);
    }

    /** Whether {@link #scrub} would change {@code text}. */
    public boolean exposes(String text) {
        return redactor.exposes(text);
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
        return redactor.safeCause(failure);
    }
}
