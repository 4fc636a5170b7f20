package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import java.util.Map;
import java.util.function.Function;

/** Resilience4j rate limiters made on demand from a map of {@link ResilienceProperties.RateLimit}s. */
final class RateLimits {

    private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();
    private final Function<String, ResilienceProperties.RateLimit> settings;
    private final String prefix;

    RateLimits(String prefix, Function<String, ResilienceProperties.RateLimit> settings) {
        this.prefix = prefix;
        this.settings = settings;
    }

    static <T> Function<String, ResilienceProperties.RateLimit> from(Map<String, T> map,
                                                                      Function<T, ResilienceProperties.RateLimit> limit) {
        return name -> {
            T entry = name == null ? null : map.get(name);
            return entry == null ? null : limit.apply(entry);
        };
    }

    /** The limiter of {@code name}, or {@code null} when it has no rate limit. */
    RateLimiter limiter(String name) {
        ResilienceProperties.RateLimit limit = settings.apply(name);
        if (limit == null) {
            return null;
        }
        return registry.rateLimiter(prefix + name, () -> RateLimiterConfig.custom()
                .limitForPeriod(limit.getLimitForPeriod())
                .limitRefreshPeriod(limit.getRefreshPeriod())
                .timeoutDuration(limit.getTimeout())
                .build());
    }

    ResilienceProperties.RateLimit settings(String name) {
        return settings.apply(name);
    }

    RateLimiterRegistry registry() {
        return registry;
    }
}
