package dev.agentgateway.spring.provider.resilience;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import java.util.Map;
import java.util.function.Function;

/** Resilience4j rate limiters made on demand from a map of {@link RateLimitSettings}s. */
final class RateLimits {

    private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    private final Function<String, RateLimitSettings> settings;
    private final String prefix;

    RateLimits(String prefix, Function<String, RateLimitSettings> settings) {
        this.prefix = prefix;
        this.settings = settings;
    }

    /** The limits of {@code map} by name; {@code null} for a name without one. */
    static Function<String, RateLimitSettings> from(Map<String, RateLimitSettings> map) {
        Map<String, RateLimitSettings> copy = Map.copyOf(map);
        return name -> name == null ? null : copy.get(name);
    }

    /** The limiter of {@code name}, or {@code null} when it has no rate limit. */
    RateLimiter limiter(String name) {
        RateLimitSettings limit = settings.apply(name);
        if (limit == null) {
            return null;
        }
        return registry.rateLimiter(prefix + name, () -> RateLimiterConfig.custom()
                .limitForPeriod(limit.limitForPeriod())
                .limitRefreshPeriod(limit.refreshPeriod())
                .timeoutDuration(limit.timeout())
                .build());
    }

    RateLimitSettings settings(String name) {
        return settings.apply(name);
    }

    RateLimiterRegistry registry() {
        return registry;
    }
}
