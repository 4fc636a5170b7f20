package dev.agentgateway.autoconfigure.provider.resilience;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the gateway copes with failing providers, under {@code agent-gateway.resilience}: retries
 * with exponential back-off, a circuit breaker per provider, fallbacks, the per-call time-out,
 * and rate limits per agent and per tool. Every attempt is made by the gateway itself (the
 * providers' SDK retries are switched off), so each one is governed and recorded.
 */
@ConfigurationProperties(prefix = "agent-gateway.resilience")
public class ResilienceProperties {

    /** Whether retries, circuit breaking and fallbacks are applied to provider calls. */
    private boolean enabled = true;

    /**
     * Longest time one provider call may take. When set, it caps every provider's own
     * time-out (agent-gateway.providers.[id].timeout) and applies to ChatModel beans too, which
     * otherwise get 60 seconds.
     */
    private Duration callTimeout;

    /** Retries of one provider and model (rate limits, server errors and time-outs only). */
    private final Retry retry = new Retry();

    /** The circuit breaker kept for each provider. */
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /**
     * Ordered provider/model pairs tried, one after the other, when the provider and model a call
     * asked for fail (after their retries). Used by every agent that has no fallbacks of its own.
     */
    private List<Target> fallbacks = new ArrayList<>();

    /** Per-agent settings, by agent id: fallbacks and a rate limit. */
    private Map<String, Agent> agents = new LinkedHashMap<>();

    /** Per-tool settings, by tool name: a rate limit. */
    private Map<String, Tool> tools = new LinkedHashMap<>();

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
        this.callTimeout = positiveOrNull(callTimeout, "call-timeout");
    }

    public Retry getRetry() {
        return retry;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public List<Target> getFallbacks() {
        return fallbacks;
    }

    public void setFallbacks(List<Target> fallbacks) {
        this.fallbacks = fallbacks == null ? new ArrayList<>() : fallbacks;
    }

    public Map<String, Agent> getAgents() {
        return agents;
    }

    public void setAgents(Map<String, Agent> agents) {
        this.agents = agents == null ? new LinkedHashMap<>() : agents;
    }

    public Map<String, Tool> getTools() {
        return tools;
    }

    public void setTools(Map<String, Tool> tools) {
        this.tools = tools == null ? new LinkedHashMap<>() : tools;
    }

    /** The fallbacks of {@code agentId}: its own when it has any, else the global ones. */
    public List<Target> fallbacksFor(String agentId) {
        Agent agent = agentId == null ? null : agents.get(agentId);
        if (agent != null && agent.getFallbacks() != null && !agent.getFallbacks().isEmpty()) {
            return agent.getFallbacks();
        }
        return fallbacks;
    }

    static Duration positiveOrNull(Duration value, String name) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Duration positive(Duration value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return positiveOrNull(value, name);
    }

    /** Retry with exponential back-off. */
    public static class Retry {

        /** Attempts at one provider and model, the first one included (1 turns retrying off). */
        private int maxAttempts = 3;

        /** Wait before the first retry; each further wait is multiplied by the multiplier. */
        private Duration initialBackoff = Duration.ofMillis(500);

        /** Factor by which the wait grows from one retry to the next. */
        private double multiplier = 2.0;

        /** Longest wait computed from the back-off (a longer Retry-After is still honoured). */
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
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            if (initialBackoff == null || initialBackoff.isNegative()) {
                throw new IllegalArgumentException("initial-backoff must not be negative, was " + initialBackoff);
            }
            this.initialBackoff = initialBackoff;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
            }
            this.multiplier = multiplier;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "max-backoff");
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
            this.maxRetryAfter = positive(maxRetryAfter, "max-retry-after");
        }
    }

    /** A count-based circuit breaker, one per provider. */
    public static class CircuitBreaker {

        /** Whether a circuit breaker guards each provider. */
        private boolean enabled = true;

        /** Percentage of failed calls (server errors, time-outs, rate limits) that opens the circuit. */
        private float failureRateThreshold = 50;

        /** Number of most recent calls the failure rate is computed over. */
        private int slidingWindowSize = 10;

        /** Calls needed in the window before the failure rate is evaluated. */
        private int minimumNumberOfCalls = 5;

        /** How long an open circuit refuses calls before letting trial calls through. */
        private Duration waitDurationInOpenState = Duration.ofSeconds(30);

        /** Trial calls let through while the circuit is half open. */
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
            if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
                throw new IllegalArgumentException("failure-rate-threshold must be in (0, 100], was " + failureRateThreshold);
            }
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            if (slidingWindowSize < 1) {
                throw new IllegalArgumentException("sliding-window-size must be at least 1, was " + slidingWindowSize);
            }
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            if (minimumNumberOfCalls < 1) {
                throw new IllegalArgumentException("minimum-number-of-calls must be at least 1, was " + minimumNumberOfCalls);
            }
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = positive(waitDurationInOpenState, "wait-duration-in-open-state");
        }

        public int getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
            if (permittedCallsInHalfOpenState < 1) {
                throw new IllegalArgumentException("permitted-calls-in-half-open-state must be at least 1, was "
                        + permittedCallsInHalfOpenState);
            }
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }
    }

    /** A provider and model to fall back to. */
    public static class Target {

        /** Provider id, as registered with the gateway (e.g. anthropic). */
        private String provider;

        /** Model to ask that provider for; empty means the provider's default model. */
        private String model;

        public Target() {
        }

        public Target(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        public String getProvider() {
            return provider;
        }

        public void setProvider(String provider) {
            this.provider = provider;
        }

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Target target && Objects.equals(provider, target.provider)
                    && Objects.equals(model, target.model);
        }

        @Override
        public int hashCode() {
            return Objects.hash(provider, model);
        }

        @Override
        public String toString() {
            return provider + "/" + model;
        }
    }

    /** Calls allowed per window (a Resilience4j rate limiter). */
    public static class RateLimit {

        /** Calls allowed in each refresh period. */
        private int limitForPeriod = 60;

        /** Length of the window after which the allowance is renewed. */
        private Duration refreshPeriod = Duration.ofMinutes(1);

        /** How long a call waits for permission before it is refused (0 refuses at once). */
        private Duration timeout = Duration.ZERO;

        public int getLimitForPeriod() {
            return limitForPeriod;
        }

        public void setLimitForPeriod(int limitForPeriod) {
            if (limitForPeriod < 1) {
                throw new IllegalArgumentException("limit-for-period must be at least 1, was " + limitForPeriod);
            }
            this.limitForPeriod = limitForPeriod;
        }

        public Duration getRefreshPeriod() {
            return refreshPeriod;
        }

        public void setRefreshPeriod(Duration refreshPeriod) {
            this.refreshPeriod = positive(refreshPeriod, "refresh-period");
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
            }
            this.timeout = timeout;
        }
    }

    /** Settings of one agent. */
    public static class Agent {

        /** Ordered provider/model pairs this agent falls back to, instead of the global ones. */
        private List<Target> fallbacks = new ArrayList<>();

        /** LLM calls this agent may make per window; none when unset. */
        private RateLimit rateLimit;

        public List<Target> getFallbacks() {
            return fallbacks;
        }

        public void setFallbacks(List<Target> fallbacks) {
            this.fallbacks = fallbacks == null ? new ArrayList<>() : fallbacks;
        }

        public RateLimit getRateLimit() {
            return rateLimit;
        }

        public void setRateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
        }
    }

    /** Settings of one tool. */
    public static class Tool {

        /** Calls of this tool allowed per window (all agents together); none when unset. */
        private RateLimit rateLimit;

        public RateLimit getRateLimit() {
            return rateLimit;
        }

        public void setRateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
        }
    }
}
