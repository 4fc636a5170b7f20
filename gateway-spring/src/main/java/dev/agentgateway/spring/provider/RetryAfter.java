package dev.agentgateway.spring.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads how long a provider asked the caller to wait: {@code retry-after-ms} (OpenAI's
 * millisecond variant) first, then {@code Retry-After} as seconds (whole or decimal) or as an
 * HTTP date.
 */
public final class RetryAfter {

    /** Waits longer than this are taken as nonsense and ignored. */
    private static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {
    }

    /**
     * @param header the values of a response header by name (case-insensitive lookup is the caller's job)
     * @return the wait, or {@code null} when the response gave none (or an unreadable one)
     */
    public static Duration from(Function<String, List<String>> header, Clock clock) {
        Duration millis = first(header, "retry-after-ms", value -> {
            double ms = Double.parseDouble(value);
            return Duration.ofNanos((long) (ms * 1_000_000));
        });
        if (millis != null) {
            return millis;
        }
        return first(header, "Retry-After", value -> parse(value, clock));
    }

    /** Parses one Retry-After value; {@code null} when it is not readable. */
    public static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            double seconds = Double.parseDouble(text);
            return sane(Duration.ofNanos((long) (seconds * 1_000_000_000L)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return sane(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static Duration first(Function<String, List<String>> header, String name, Function<String, Duration> parser) {
        List<String> values;
        try {
            values = header.apply(name);
        } catch (RuntimeException unreadable) {
            return null;
        }
        if (values == null) {
            return null;
        }
        for (String value : values) {
            try {
                Duration parsed = parser.apply(value == null ? "" : value.trim());
                if (parsed != null) {
                    return sane(parsed);
                }
            } catch (RuntimeException unreadable) {
                // try the next value
            }
        }
        return null;
    }

    private static Duration sane(Duration wait) {
        if (wait == null || wait.isNegative() || wait.compareTo(MAX) > 0) {
            return null;
        }
        return wait;
    }
}
