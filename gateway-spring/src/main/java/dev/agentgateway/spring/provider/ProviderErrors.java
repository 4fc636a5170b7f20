package dev.agentgateway.spring.provider;

import dev.agentgateway.core.secrets.SecretRedactor;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import org.springframework.util.ClassUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns whatever a provider call threw into the core's typed {@link ProviderException}s:
 * authentication (401/403), rate limited (429, with Retry-After), server error (5xx), time-out or
 * connection failure, and malformed or empty responses. Messages are redacted and shortened; a
 * cause whose messages hold a secret is replaced by a redacted copy.
 *
 * <p>The SDK-specific translators are found by class presence, so this class runs with any
 * subset of the Spring AI provider modules on the class path.
 */
public final class ProviderErrors {

    private static final int MAX_DETAIL = 300;
    private static final int MAX_CHAIN = 32;

    /** Translators of the optional SDKs, by the class that tells the SDK is present. */
    private static final String[][] KNOWN = {
            {"com.openai.errors.OpenAIException", "dev.agentgateway.spring.provider.openai.OpenAiErrorTranslator"},
            {"com.anthropic.errors.AnthropicException", "dev.agentgateway.spring.provider.anthropic.AnthropicErrorTranslator"},
            {"com.google.genai.errors.BaseException", "dev.agentgateway.spring.provider.gemini.GeminiErrorTranslator"},
            {"org.springframework.web.client.RestClientResponseException", "dev.agentgateway.spring.provider.SpringWebErrorTranslator"},
            {"org.springframework.web.reactive.function.client.WebClientResponseException",
                    "dev.agentgateway.spring.provider.SpringWebClientErrorTranslator"},
            {"org.springframework.ai.retry.TransientAiException", "dev.agentgateway.spring.provider.SpringAiRetryErrorTranslator"},
    };

    private static volatile List<ProviderErrorTranslator> detected;

    private final List<ProviderErrorTranslator> translators;
    private final SecretRedactor redactor;
    private final Clock clock;

    private ProviderErrors(List<ProviderErrorTranslator> translators, SecretRedactor redactor, Clock clock) {
        this.translators = List.copyOf(translators);
        this.redactor = redactor;
        this.clock = clock;
    }

    /** The translators of every SDK on the class path, redacting key-shaped text. */
    public static ProviderErrors standard() {
        return new ProviderErrors(detectTranslators(), SecretRedactor.none(), Clock.systemUTC());
    }

    /** Only the given translators (and the generic rules). */
    public static ProviderErrors of(List<ProviderErrorTranslator> translators, SecretRedactor redactor, Clock clock) {
        return new ProviderErrors(translators, redactor, clock);
    }

    /** The same translators, redacting {@code newRedactor}'s secrets too. */
    public ProviderErrors withRedactor(SecretRedactor newRedactor) {
        return new ProviderErrors(translators, newRedactor, clock);
    }

    public SecretRedactor redactor() {
        return redactor;
    }

    public Clock clock() {
        return clock;
    }

    /** The typed exception for {@code failure}; never null. */
    public ProviderException translate(String provider, Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof ProviderException typed) {
                return typed;
            }
            for (ProviderErrorTranslator translator : translators) {
                ProviderException translated;
                try {
                    translated = translator.translate(provider, t, this);
                } catch (RuntimeException broken) {
                    translated = null;
                }
                if (translated != null) {
                    return translated;
                }
            }
            ProviderException generic = generic(provider, t);
            if (generic != null) {
                return generic;
            }
        }
        for (Throwable t : chain) {
            if (isA(t, "java.io.IOException") || t.getClass().getSimpleName().endsWith("IoException")
                    || t.getClass().getSimpleName().endsWith("IOException")) {
                return connectionFailed(provider, failure);
            }
        }
        return badResponse(provider, "returned a response the client could not read", failure);
    }

    // ---- typed exceptions --------------------------------------------------------------------

    /** The exception for an HTTP error status, with Retry-After read from {@code headers}. */
    public ProviderException forStatus(String provider, int status, Function<String, List<String>> headers, String detail,
                                       Throwable cause) {
        String suffix = detail == null || detail.isBlank() ? "" : ": " + clean(detail);
        Throwable safe = redactor.safeCause(cause);
        if (status == 401 || status == 403) {
            return new ProviderAuthenticationException(provider,
                    "Provider '" + provider + "' rejected the credentials (HTTP " + status + ")" + suffix, safe);
        }
        if (status == 429) {
            Duration retryAfter = headers == null ? null : RetryAfter.from(headers, clock);
            return new ProviderRateLimitedException(provider, "Provider '" + provider + "' is rate limiting the calls (HTTP 429"
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toMillis() + " ms") + ")" + suffix, retryAfter, safe);
        }
        if (status == 408) {
            return new ProviderTimeoutException(provider, "Provider '" + provider + "' timed out the request (HTTP 408)" + suffix, safe);
        }
        if (status >= 500) {
            Duration retryAfter = headers == null ? null : RetryAfter.from(headers, clock);
            String message = "Provider '" + provider + "' failed with a server error (HTTP " + status
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toMillis() + " ms") + ")" + suffix;
            return retryAfter == null ? new ProviderServerException(provider, status, message, safe)
                    : new RetryAfterServerException(provider, status, message, retryAfter, safe);
        }
        return new ProviderException(provider, "Provider '" + provider + "' refused the request (HTTP " + status + ")" + suffix,
                false, safe);
    }

    public ProviderTimeoutException timeout(String provider, String what, Throwable cause) {
        return new ProviderTimeoutException(provider, "Provider '" + provider + "' " + clean(what), redactor.safeCause(cause));
    }

    public ProviderTimeoutException connectionFailed(String provider, Throwable cause) {
        return new ProviderTimeoutException(provider, "Provider '" + provider + "' could not be reached: " + describe(cause),
                redactor.safeCause(cause));
    }

    public ProviderBadResponseException badResponse(String provider, String what, Throwable cause) {
        String detail = cause == null ? "" : " (" + describe(cause) + ")";
        return new ProviderBadResponseException(provider, "Provider '" + provider + "' " + clean(what) + detail,
                redactor.safeCause(cause));
    }

    /** {@code Type: message}, redacted and shortened. */
    public String describe(Throwable failure) {
        if (failure == null) {
            return "";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + clean(message));
    }

    /** Redacted, on one line, and at most a few hundred characters. */
    public String clean(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = redactor.redact(text).replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "…";
    }

    // ---- generic rules ------------------------------------------------------------------------

    private ProviderException generic(String provider, Throwable t) {
        if (isA(t, "java.util.concurrent.TimeoutException") || isA(t, "java.net.SocketTimeoutException")
                || isA(t, "java.net.http.HttpTimeoutException") || isA(t, "java.io.InterruptedIOException")) {
            return timeout(provider, "did not answer in time: " + describe(t), t);
        }
        if (isA(t, "com.fasterxml.jackson.core.JacksonException") || isA(t, "com.fasterxml.jackson.core.JsonProcessingException")
                || isA(t, "tools.jackson.core.JacksonException")) {
            return badResponse(provider, "returned malformed JSON", t);
        }
        if (isA(t, "java.net.ConnectException") || isA(t, "java.net.UnknownHostException")
                || isA(t, "java.net.NoRouteToHostException") || isA(t, "java.nio.channels.UnresolvedAddressException")) {
            return connectionFailed(provider, t);
        }
        return null;
    }

    /** Whether {@code t}'s class or one of its superclasses is named {@code className}. */
    public static boolean isA(Throwable t, String className) {
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && chain.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static List<ProviderErrorTranslator> detectTranslators() {
        List<ProviderErrorTranslator> found = detected;
        if (found == null) {
            List<ProviderErrorTranslator> list = new ArrayList<>();
            ClassLoader loader = ProviderErrors.class.getClassLoader();
            for (String[] known : KNOWN) {
                if (ClassUtils.isPresent(known[0], loader)) {
                    try {
                        list.add((ProviderErrorTranslator) ClassUtils.forName(known[1], loader).getDeclaredConstructor().newInstance());
                    } catch (ReflectiveOperationException | LinkageError unusable) {
                        // that SDK's failures fall to the generic rules
                    }
                }
            }
            found = List.copyOf(list);
            detected = found;
        }
        return found;
    }
}
