package dev.agentgateway.spring.provider.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * One rate limit: at most {@code limitForPeriod} calls per {@code refreshPeriod}, a caller waiting up
 * to {@code timeout} for a permit (zero: refused at once).
 */
public record RateLimitSettings(int limitForPeriod, Duration refreshPeriod, Duration timeout) {

    public RateLimitSettings {
        Objects.requireNonNull(refreshPeriod, "refreshPeriod");
        Objects.requireNonNull(timeout, "timeout");
    }
}
