package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.spring.provider.RetryAfterServerException;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the attempts of a call with Resilience4j: a {@link Retry} (exponential back-off that
 * honours Retry-After, for rate limits, server errors and time-outs only) around a
 * {@link CircuitBreaker} per provider, first at the provider and model the call asked for, then at
 * each fallback in order (the agent's own list, else the global one).
 *
 * <p>Each attempt is the gateway's own ({@link Attempt#run}): reserved, hooked, recorded in the
 * history with its attempt number, and its reservation released when it fails. Failures that are
 * not the provider's (limits, hook vetoes) end the call at once.
 */
public class ResilientCallStrategy implements CallStrategy {

    private static final Logger log = LoggerFactory.getLogger(ResilientCallStrategy.class);

    private final ResilienceSettings properties;
    private final Function<String, List<ResilienceSettings.Target>> agentFallbacks;
    private final RetryRegistry retries;
    private final CircuitBreakerRegistry circuitBreakers;

    /** A strategy whose agents all use the global fallbacks. */
    public ResilientCallStrategy(ResilienceSettings properties) {
        this(properties, agentId -> List.of());
    }

    /**
     * A strategy whose agents fall back to their own targets ({@code agentFallbacks} of the agent id,
     * e.g. agent-gateway.agents.[id].fallbacks) when they have any, else to the global ones.
     */
    public ResilientCallStrategy(ResilienceSettings properties,
                                 Function<String, List<ResilienceSettings.Target>> agentFallbacks) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.agentFallbacks = Objects.requireNonNull(agentFallbacks, "agentFallbacks");
        this.retries = RetryRegistry.of(retryConfig(properties.retry()));
        this.circuitBreakers = CircuitBreakerRegistry.of(circuitBreakerConfig(properties.circuitBreaker()));
    }

    /** The retries, one per provider id: subscribe to their events or bind their metrics. */
    public RetryRegistry retryRegistry() {
        return retries;
    }

    /** The circuit breakers, one per provider id. */
    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return circuitBreakers;
    }

    /** The circuit breaker of {@code provider}. */
    public CircuitBreaker circuitBreaker(String provider) {
        return circuitBreakers.circuitBreaker(provider);
    }

    public Retry retry(String provider) {
        return retries.retry(provider);
    }

    @Override
    public <T> T execute(CallTarget primary, Attempt<T> attempt) {
        AtomicInteger attempts = new AtomicInteger(primary.attempt() - 1);
        List<ResilienceSettings.Target> targets = targets(primary);
        ProviderException last = null;
        for (int i = 0; i < targets.size(); i++) {
            ResilienceSettings.Target target = targets.get(i);
            try {
                return callTarget(primary.agentId(), target, attempt, attempts);
            } catch (ProviderException failed) {
                if (last != null) {
                    failed.addSuppressed(last);
                }
                last = failed;
                if (i + 1 < targets.size()) {
                    ResilienceSettings.Target next = targets.get(i + 1);
                    log.warn("Provider '{}' (model {}) failed for agent '{}': {}; falling back to '{}' (model {})",
                            target.provider(), target.model(), primary.agentId(), failed.getMessage(),
                            next.provider(), next.model());
                }
            }
        }
        throw last;
    }

    private <T> T callTarget(String agentId, ResilienceSettings.Target target, Attempt<T> attempt, AtomicInteger attempts) {
        String provider = target.provider();
        Supplier<T> call = () -> attempt.run(new CallTarget(agentId, provider, target.model(), attempts.incrementAndGet()));
        CircuitBreaker circuitBreaker = properties.circuitBreaker().enabled() ? circuitBreakers.circuitBreaker(provider) : null;
        if (circuitBreaker != null) {
            call = CircuitBreaker.decorateSupplier(circuitBreaker, call);
        }
        Supplier<T> retried = Retry.decorateSupplier(retries.retry(provider), call);
        try {
            return retried.get();
        } catch (CallNotPermittedException open) {
            throw new ProviderCircuitOpenException(provider, "The circuit breaker of provider '" + provider
                    + "' is open after too many failures; the call was not sent", open);
        }
    }

    /** The primary target, then the fallbacks that differ from it, in order. */
    List<ResilienceSettings.Target> targets(CallTarget primary) {
        List<ResilienceSettings.Target> targets = new ArrayList<>();
        targets.add(new ResilienceSettings.Target(primary.provider(), primary.model()));
        for (ResilienceSettings.Target fallback : fallbacksFor(primary.agentId())) {
            if (fallback == null || fallback.provider() == null || fallback.provider().isBlank()) {
                continue;
            }
            ResilienceSettings.Target normalized = new ResilienceSettings.Target(fallback.provider().trim(),
                    fallback.model() == null || fallback.model().isBlank() ? null : fallback.model().trim());
            if (!targets.contains(normalized)) {
                targets.add(normalized);
            }
        }
        return targets;
    }

    /** The fallbacks of {@code agentId}: its own when it has any, else the global ones. */
    public List<ResilienceSettings.Target> fallbacksFor(String agentId) {
        List<ResilienceSettings.Target> own = agentId == null ? null : agentFallbacks.apply(agentId);
        return own == null || own.isEmpty() ? properties.fallbacks() : own;
    }

    // ---- configuration ------------------------------------------------------------------------

    static RetryConfig retryConfig(ResilienceSettings.Retry settings) {
        return RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(failure -> retryable(failure, settings))
                .intervalBiFunction(backoff(settings))
                .build();
    }

    /** Rate limits (unless they ask for too long a wait), server errors and time-outs. */
    static boolean retryable(Throwable failure, ResilienceSettings.Retry settings) {
        if (failure instanceof ProviderRateLimitedException limited) {
            Duration wait = limited.retryAfter();
            return wait == null || !settings.honourRetryAfter() || wait.compareTo(settings.maxRetryAfter()) <= 0;
        }
        if (failure instanceof RetryAfterServerException busy) {
            Duration wait = busy.retryAfter();
            return wait == null || !settings.honourRetryAfter() || wait.compareTo(settings.maxRetryAfter()) <= 0;
        }
        return failure instanceof ProviderServerException || failure instanceof ProviderTimeoutException;
    }

    static IntervalBiFunction<Object> backoff(ResilienceSettings.Retry settings) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        double multiplier = settings.multiplier();
        return (retryNumber, outcome) -> {
            int n = retryNumber == null || retryNumber < 1 ? 1 : retryNumber;
            double exponential = initial * Math.pow(multiplier, n - 1);
            long wait = (long) Math.min(max, exponential);
            if (settings.honourRetryAfter() && outcome != null && outcome.isLeft()) {
                Duration retryAfter = retryAfter(outcome.getLeft());
                if (retryAfter != null) {
                    long asked = (retryAfter.toNanos() + 999_999) / 1_000_000;
                    wait = Math.max(wait, asked);
                }
            }
            return wait;
        };
    }

    private static Duration retryAfter(Throwable failure) {
        if (failure instanceof ProviderRateLimitedException limited) {
            return limited.retryAfter();
        }
        if (failure instanceof RetryAfterServerException busy) {
            return busy.retryAfter();
        }
        return null;
    }

    static CircuitBreakerConfig circuitBreakerConfig(ResilienceSettings.CircuitBreaker settings) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .recordException(ResilientCallStrategy::providerFault)
                // limits, vetoes, bad requests and rejected keys say nothing about the provider's health
                .ignoreException(failure -> !providerFault(failure))
                .build();
    }

    /** A failure that counts against a provider's health. */
    static boolean providerFault(Throwable failure) {
        return failure instanceof ProviderServerException || failure instanceof ProviderTimeoutException
                || failure instanceof ProviderRateLimitedException;
    }
}
