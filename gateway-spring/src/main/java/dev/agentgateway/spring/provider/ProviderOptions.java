package dev.agentgateway.spring.provider;

import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.util.Map;

/**
 * The options a {@link dev.agentgateway.core.provider.LlmClientFactory} receives, read once:
 * {@code base-url}, {@code model} and {@code timeout} (a Duration, or text such as {@code 30s}).
 *
 * @param timeout the per-call time-out: the provider's own, capped by the resilience call time-out
 */
public record ProviderOptions(String baseUrl, String model, Duration timeout) {

    /** Time-out of a provider that configures none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Extra time given to the SDK's own time-out, so that the gateway's deadline fires first. */
    private static final Duration SDK_GRACE = Duration.ofSeconds(1);

    public static ProviderOptions from(Map<String, ?> options, Duration callTimeoutCap) {
        Map<String, ?> map = options == null ? Map.of() : options;
        Duration timeout = duration(map.get("timeout"));
        if (timeout == null) {
            timeout = DEFAULT_TIMEOUT;
        }
        if (callTimeoutCap != null && callTimeoutCap.compareTo(timeout) < 0) {
            timeout = callTimeoutCap;
        }
        return new ProviderOptions(text(map.get("base-url")), text(map.get("model")), timeout);
    }

    /** The time-out handed to the SDK: a little longer than the gateway's own deadline. */
    public Duration sdkTimeout() {
        return timeout.plus(SDK_GRACE);
    }

    /** {@link #baseUrl()} without trailing slashes, or {@code fallback} when none was given. */
    public String baseUrlOr(String fallback) {
        String url = baseUrl == null ? fallback : baseUrl;
        while (url != null && url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }

    private static Duration duration(Object value) {
        if (value == null) {
            return null;
        }
        Duration duration;
        if (value instanceof Duration d) {
            duration = d;
        } else if (value instanceof Number seconds) {
            duration = Duration.ofMillis((long) (seconds.doubleValue() * 1000));
        } else {
            String text = String.valueOf(value).trim();
            if (text.isEmpty()) {
                return null;
            }
            duration = DurationStyle.detectAndParse(text);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + duration);
        }
        return duration;
    }
}
