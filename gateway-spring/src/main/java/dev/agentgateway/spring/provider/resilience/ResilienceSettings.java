package dev.agentgateway.spring.provider.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ResilientCallStrategy} retries, breaks circuits and falls back.
 *
 * @param fallbacks the global fallback targets, in order (agents may have their own)
 */
public record ResilienceSettings(Retry retry, CircuitBreaker circuitBreaker, List<Target> fallbacks) {

    public ResilienceSettings {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    /**
     * Exponential back-off from {@code initialBackoff} by {@code multiplier} up to {@code maxBackoff};
     * a Retry-After up to {@code maxRetryAfter} is waited for when {@code honourRetryAfter}.
     */
    public record Retry(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                        boolean honourRetryAfter, Duration maxRetryAfter) {
    }

    /** A count-based circuit breaker per provider (Resilience4j's settings of the same names). */
    public record CircuitBreaker(boolean enabled, float failureRateThreshold, int slidingWindowSize,
                                 int minimumNumberOfCalls, Duration waitDurationInOpenState,
                                 int permittedCallsInHalfOpenState) {
    }

    /** A provider and model to send a call to; {@code model} {@code null} for the provider's default. */
    public record Target(String provider, String model) {

        @Override
        public String toString() {
            return provider + "/" + model;
        }
    }
}
