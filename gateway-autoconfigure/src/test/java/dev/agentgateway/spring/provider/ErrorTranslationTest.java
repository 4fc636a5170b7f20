package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.ChatResponseMapper;
import dev.agentgateway.spring.provider.ProviderErrors;
import dev.agentgateway.spring.provider.RetryAfter;
import dev.agentgateway.spring.provider.RetryAfterServerException;
import dev.agentgateway.core.secrets.SecretRedactor;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry-After parsing, redaction and the generic translation rules, without HTTP. */
class ErrorTranslationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    private final ProviderErrors errors = ProviderErrors.standard().withRedactor(SecretRedactor.of("super-secret-value"));

    @Test
    void retryAfterInSecondsDecimalsDatesAndMilliseconds() {
        assertThat(RetryAfter.parse("7", CLOCK)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 1.5 ", CLOCK)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("Sun, 01 Jun 2025 12:00:30 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sun, 01 Jun 2025 11:00:00 GMT", CLOCK)).as("in the past").isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
        assertThat(RetryAfter.parse("-3", CLOCK)).isNull();
        assertThat(RetryAfter.parse("", CLOCK)).isNull();
        assertThat(RetryAfter.parse("99999999999", CLOCK)).as("absurd").isNull();
        Map<String, List<String>> headers = Map.of("retry-after-ms", List.of("250"), "Retry-After", List.of("9"));
        assertThat(RetryAfter.from(headers::get, CLOCK)).as("the precise header first").isEqualTo(Duration.ofMillis(250));
        assertThat(RetryAfter.from(name -> null, CLOCK)).isNull();
    }

    @Test
    void aCauseThatHoldsTheKeyIsReplacedByARedactedCopy() {
        RuntimeException leaky = new IllegalStateException("bad key super-secret-value", new RuntimeException("again super-secret-value"));

        ProviderException translated = errors.translate("openai", leaky);

        assertNoSecret(translated, "super-secret-value");
        assertThat(translated.getCause()).hasToString("java.lang.IllegalStateException: bad key ******");
        assertThat(translated.getCause().getStackTrace()).isEqualTo(leaky.getStackTrace());
    }

    @Test
    void springWebErrorsKeepStatusAndRetryAfter() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Retry-After", "4");
        HttpClientErrorException tooMany = HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests",
                headers, "{\"error\":\"slow down\"}".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        ProviderException translated = errors.translate("ollama", tooMany);

        assertThat(translated).isInstanceOf(ProviderRateLimitedException.class);
        assertThat(((ProviderRateLimitedException) translated).retryAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(translated.getMessage()).contains("429").contains("slow down");
    }

    @Test
    void springAiRetryExceptionsAreReadFromTheirMessage() {
        assertThat(errors.translate("ollama", new NonTransientAiException("401 - {\"error\":\"unauthorized\"}")))
                .isInstanceOf(ProviderAuthenticationException.class);
        assertThat(errors.translate("ollama", new NonTransientAiException("429 - too many")))
                .isInstanceOf(ProviderRateLimitedException.class);
        ProviderException server = errors.translate("ollama", new TransientAiException("503 - busy"));
        assertThat(server).isInstanceOf(ProviderServerException.class);
        assertThat(((ProviderServerException) server).status()).isEqualTo(503);
        assertThat(errors.translate("ollama", new TransientAiException("it broke"))).isInstanceOf(ProviderServerException.class);
    }

    @Test
    void timeoutsConnectionFailuresAndUnknownFailures() {
        assertThat(errors.translate("x", new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out"))))
                .isInstanceOf(ProviderTimeoutException.class);
        assertThat(errors.translate("x", new RuntimeException(new ConnectException("Connection refused"))))
                .isInstanceOf(ProviderTimeoutException.class).hasMessageContaining("could not be reached");
        assertThat(errors.translate("x", new ResourceAccessException("I/O error", new java.io.IOException("stream closed"))))
                .isInstanceOf(ProviderTimeoutException.class);
        assertThat(errors.translate("x", new NullPointerException()))
                .isInstanceOf(ProviderBadResponseException.class);
        ProviderServerException typed = new ProviderServerException("x", 500, "already typed", null);
        assertThat(errors.translate("x", new RuntimeException(typed))).isSameAs(typed);
    }

    @Test
    void statusMapping() {
        assertThat(errors.forStatus("p", 403, null, "forbidden", null)).isInstanceOf(ProviderAuthenticationException.class);
        assertThat(errors.forStatus("p", 408, null, "", null)).isInstanceOf(ProviderTimeoutException.class);
        assertThat(errors.forStatus("p", 529, name -> List.of("2"), "overloaded", null)).isInstanceOf(RetryAfterServerException.class);
        assertThat(errors.forStatus("p", 502, name -> List.of(), "bad gateway", null)).isExactlyInstanceOf(ProviderServerException.class);
        ProviderException badRequest = errors.forStatus("p", 400, null, "x".repeat(5_000), null);
        assertThat(badRequest).isExactlyInstanceOf(ProviderException.class);
        assertThat(badRequest.isRetryable()).isFalse();
        assertThat(badRequest.getMessage()).hasSizeLessThan(500);
    }

    @Test
    void finishReasonsSpeakOneLanguage() {
        assertThat(ChatResponseMapper.normalizeFinishReason("STOP", false)).isEqualTo("stop");
        assertThat(ChatResponseMapper.normalizeFinishReason("end_turn", false)).isEqualTo("stop");
        assertThat(ChatResponseMapper.normalizeFinishReason("MAX_TOKENS", false)).isEqualTo("length");
        assertThat(ChatResponseMapper.normalizeFinishReason("SAFETY", false)).isEqualTo("content_filter");
        assertThat(ChatResponseMapper.normalizeFinishReason("stop", true)).isEqualTo("tool_calls");
        assertThat(ChatResponseMapper.normalizeFinishReason(null, false)).isEqualTo("stop");
        assertThat(ChatResponseMapper.normalizeFinishReason("\u0000", false)).isEqualTo("unknown");
        assertThat(ChatResponseMapper.normalizeFinishReason("weird_reason", false)).isEqualTo("weird_reason");
    }

    private static void assertNoSecret(Throwable failure, String secret) {
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(secret);
    }
}
