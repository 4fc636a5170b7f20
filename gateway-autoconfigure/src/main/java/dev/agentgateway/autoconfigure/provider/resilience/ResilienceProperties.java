package dev.agentgateway.autoconfigure.provider.resilience;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the gateway copes with failing providers, under {@code agent-gateway.resilience}: the
 * defaults every agent shares (retries with exponential back-off, a circuit breaker per provider,
 * fallbacks, the per-call time-out). What belongs to one agent or tool (its fallbacks, its rate
 * limit) is under {@code agent-gateway.agents.<id>} and {@code agent-gateway.tools.<name>}. Every
 * attempt is made by the gateway itself (the providers' SDK retries are switched off), so each one
 * is governed and recorded.
 */
@ConfigurationProperties(prefix = "agent-gateway.resilience")
@Validated
public class ResilienceProperties {

    /** Whether retries, circuit breaking and fallbacks are applied to provider calls. */
    private boolean enabled = true;

    /**
     * Longest time one provider call may take. When set, it caps every provider's own
     * time-out (agent-gateway.providers.[id].timeout) and applies to ChatModel beans too, which
     * otherwise get 60 seconds.
     */
    @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
    private Duration callTimeout;

    /** Retries of one provider and model (rate limits, server errors and time-outs only). */
    @Valid
    private final Retry retry = new Retry();

    /** The circuit breaker kept for each provider. */
    @Valid
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /**
     * Ordered provider/model pairs tried, one after the other, when the provider and model a call
     * asked for fail (after their retries). Used by every agent that has no fallbacks of its own
     * (agent-gateway.agents.[id].fallbacks).
     */
    private List<AgentGatewayProperties.@Valid Target> fallbacks = new ArrayList<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getCallTimeout() {
        return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public Retry getRetry() {
        return retry;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public List<AgentGatewayProperties.Target> getFallbacks() {
        return fallbacks;
    }

    public void setFallbacks(List<AgentGatewayProperties.Target> fallbacks) {
        this.fallbacks = fallbacks == null ? new ArrayList<>() : fallbacks;
    }


    /** Retry with exponential back-off. */
    public static class Retry {

        /** Attempts at one provider and model, the first one included (1 turns retrying off). */
        @Min(1)
        private int maxAttempts = 3;

        /** Wait before the first retry; each further wait is multiplied by the multiplier. */
        @NotNull
        @DurationMin(nanos = 0, message = "must not be negative")
        private Duration initialBackoff = Duration.ofMillis(500);

        /** Factor by which the wait grows from one retry to the next. */
        @DecimalMin("1")
        private double multiplier = 2.0;

        /** Longest wait computed from the back-off (a longer Retry-After is still honoured). */
        @NotNull
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration maxBackoff = Duration.ofSeconds(30);

        /**
         * Whether to wait at least as long as the provider's Retry-After header asks, for rate
         * limits (429) and server errors (5xx).
         */
        private boolean honourRetryAfter = true;

        /**
         * Longest Retry-After the gateway waits for; a provider asking for more is not retried
         * (the next fallback is tried instead).
         */
        @NotNull
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public boolean isHonourRetryAfter() {
            return honourRetryAfter;
        }

        public void setHonourRetryAfter(boolean honourRetryAfter) {
            this.honourRetryAfter = honourRetryAfter;
        }

        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }
    }

    /** A count-based circuit breaker, one per provider. */
    public static class CircuitBreaker {

        /** Whether a circuit breaker guards each provider. */
        private boolean enabled = true;

        /** Percentage of failed calls (server errors, time-outs, rate limits) that opens the circuit. */
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("100")
        private float failureRateThreshold = 50;

        /** Number of most recent calls the failure rate is computed over. */
        @Min(1)
        private int slidingWindowSize = 10;

        /** Calls needed in the window before the failure rate is evaluated. */
        @Min(1)
        private int minimumNumberOfCalls = 5;

        /** How long an open circuit refuses calls before letting trial calls through. */
        @NotNull
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration waitDurationInOpenState = Duration.ofSeconds(30);

        /** Trial calls let through while the circuit is half open. */
        @Min(1)
        private int permittedCallsInHalfOpenState = 2;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = waitDurationInOpenState;
        }

        public int getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }
    }
}
