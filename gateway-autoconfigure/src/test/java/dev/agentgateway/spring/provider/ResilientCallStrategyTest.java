package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.provider.resilience.ResilienceSettings;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceSettingsMapper;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.provider.resilience.ProviderCircuitOpenException;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.GatewayException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strategy's decisions, with scripted attempts instead of providers. */
class ResilientCallStrategyTest {

    private static ResilienceProperties fast(int attempts) {
        ResilienceProperties properties = new ResilienceProperties();
        properties.getRetry().setMaxAttempts(attempts);
        properties.getRetry().setInitialBackoff(Duration.ofMillis(1));
        properties.getRetry().setMaxBackoff(Duration.ofMillis(5));
        return properties;
    }

    private static final LlmResponse OK = LlmResponse.text("ok", 1, 1);

    @Test
    void retriesServerErrorsAndTimeoutsWithIncreasingAttemptNumbers() {
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(fast(3)));
        List<CallTarget> seen = new ArrayList<>();

        LlmResponse response = strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            seen.add(target);
            return switch (seen.size()) {
                case 1 -> throw new ProviderServerException("p", 500, "boom", null);
                case 2 -> throw new ProviderTimeoutException("p", "slow", null);
                default -> OK;
            };
        });

        assertThat(response).isSameAs(OK);
        assertThat(seen).extracting(CallTarget::attempt).containsExactly(1, 2, 3);
        assertThat(seen).allMatch(target -> target.provider().equals("p") && "m".equals(target.model()) && "a".equals(target.agentId()));
    }

    @Test
    void doesNotRetryWhatRetryingCannotFix() {
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(fast(5)));
        List<CallTarget> seen = new ArrayList<>();

        assertThatThrownBy(() -> strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            seen.add(target);
            throw new ProviderBadResponseException("p", "garbage", null);
        })).isInstanceOf(ProviderBadResponseException.class);
        assertThat(seen).hasSize(1);
    }

    @Test
    void limitRefusalsEndTheCallWithoutRetryOrFallback() {
        ResilienceProperties properties = fast(5);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("q", "n")));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));
        List<CallTarget> seen = new ArrayList<>();

        assertThatThrownBy(() -> strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            seen.add(target);
            throw new GatewayException("refused by a limit");
        })).isInstanceOf(GatewayException.class).hasMessage("refused by a limit");
        assertThat(seen).hasSize(1);
        assertThat(strategy.circuitBreaker("p").getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void backoffGrowsExponentiallyAndHonoursRetryAfter() {
        ResilienceProperties properties = new ResilienceProperties();
        properties.getRetry().setMaxAttempts(4);
        properties.getRetry().setInitialBackoff(Duration.ofMillis(20));
        properties.getRetry().setMultiplier(3);
        properties.getRetry().setMaxBackoff(Duration.ofMillis(100));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));
        List<RetryOnRetryEvent> retries = new CopyOnWriteArrayList<>();
        strategy.retry("p").getEventPublisher().onRetry(retries::add);
        int[] calls = {0};

        strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            calls[0]++;
            return switch (calls[0]) {
                case 1, 2 -> throw new ProviderServerException("p", 502, "bad gateway", null);
                case 3 -> throw new ProviderRateLimitedException("p", "slow down", Duration.ofMillis(150), null);
                default -> OK;
            };
        });

        assertThat(retries).extracting(RetryOnRetryEvent::getWaitInterval)
                .containsExactly(Duration.ofMillis(20), Duration.ofMillis(60), Duration.ofMillis(150));
    }

    @Test
    void fallbacksInOrderSkippingThePrimaryItself() {
        ResilienceProperties properties = fast(1);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("p", "m"), new AgentGatewayProperties.Target("q", "n"),
                new AgentGatewayProperties.Target("r", "")));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));
        List<CallTarget> seen = new ArrayList<>();

        LlmResponse response = strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            seen.add(target);
            if (!target.provider().equals("r")) {
                throw new ProviderServerException(target.provider(), 500, "down", null);
            }
            return OK;
        });

        assertThat(response).isSameAs(OK);
        assertThat(seen).extracting(target -> target.provider() + "/" + target.model() + "#" + target.attempt())
                .containsExactly("p/m#1", "q/n#2", "r/null#3");
    }

    @Test
    void whenEverythingFailsTheLastFailureIsThrownWithTheOthersSuppressed() {
        ResilienceProperties properties = fast(1);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("q", "n")));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));

        assertThatThrownBy(() -> strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            throw new ProviderServerException(target.provider(), 500, target.provider() + " down", null);
        })).hasMessage("q down").satisfies(failure -> assertThat(failure.getSuppressed()).hasSize(1));
    }

    @Test
    void anOpenCircuitSkipsToTheFallbackWithoutAnAttempt() {
        ResilienceProperties properties = fast(1);
        properties.getCircuitBreaker().setMinimumNumberOfCalls(2);
        properties.getCircuitBreaker().setSlidingWindowSize(2);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("q", "n")));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));
        strategy.circuitBreaker("p").transitionToForcedOpenState();
        List<CallTarget> seen = new ArrayList<>();

        strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
            seen.add(target);
            return OK;
        });

        assertThat(seen).extracting(CallTarget::provider).containsExactly("q");
        assertThat(seen.get(0).attempt()).isEqualTo(1);
        assertThatThrownBy(() -> new ResilientCallStrategy(ResilienceSettingsMapper.resilience(fast(1))) {
            {
                circuitBreaker("p").transitionToForcedOpenState();
            }
        }.execute(new CallTarget("a", "p", "m", 1), target -> OK)).isInstanceOf(ProviderCircuitOpenException.class);
    }

    @Test
    void circuitBreakerCanBeSwitchedOff() {
        ResilienceProperties properties = fast(1);
        properties.getCircuitBreaker().setEnabled(false);
        properties.getCircuitBreaker().setMinimumNumberOfCalls(1);
        properties.getCircuitBreaker().setSlidingWindowSize(1);
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> strategy.execute(new CallTarget("a", "p", "m", 1), target -> {
                throw new ProviderServerException("p", 500, "down", null);
            })).isInstanceOf(ProviderServerException.class);
        }
        assertThat(strategy.circuitBreaker("p").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void agentFallbacksComeFromTheAgentsSettings() {
        ResilienceProperties properties = fast(1);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("global", null)));
        AgentGatewayProperties agents = new AgentGatewayProperties();
        AgentGatewayProperties.AgentSettings special = new AgentGatewayProperties.AgentSettings();
        special.setFallbacks(List.of(new AgentGatewayProperties.Target("own", "x")));
        agents.setAgents(Map.of("special", special, "plain", new AgentGatewayProperties.AgentSettings()));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties), ResilienceSettingsMapper.agentFallbacks(agents));

        assertThat(strategy.fallbacksFor("special")).extracting(ResilienceSettings.Target::provider).containsExactly("own");
        assertThat(strategy.fallbacksFor("plain")).extracting(ResilienceSettings.Target::provider).containsExactly("global");
        assertThat(strategy.fallbacksFor("other")).extracting(ResilienceSettings.Target::provider).containsExactly("global");
        assertThat(strategy.fallbacksFor(null)).extracting(ResilienceSettings.Target::provider).containsExactly("global");
    }

    @Test
    void aServerErrorThatEchoesTheApiKeyIsStillRetriedAndCountedByTheCircuitBreaker() {
        String key = "house-key-0123456789";
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(fast(3)));
        dev.agentgateway.core.provider.LlmClientFactory leaky = new dev.agentgateway.core.provider.LlmClientFactory() {
            @Override
            public String providerId() {
                return "p";
            }

            @Override
            public dev.agentgateway.core.provider.LlmClient create(String apiKey, Map<String, ?> options) {
                return request -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new ProviderServerException("p", 503, "upstream rejected " + apiKey, null);
                    }
                    return OK;
                };
            }
        };
        try (dev.agentgateway.core.Gateway gateway = dev.agentgateway.core.Gateway.builder().callStrategy(strategy)
                .clientFactory(leaky).build().configureProvider("p", key, Map.of())) {

            LlmResponse response = gateway.call("a", "p", "m", "hi");

            assertThat(response.content()).isEqualTo("ok");
            assertThat(attempts).hasValue(2);
            assertThat(strategy.circuitBreaker("p").getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
            assertThat(gateway.getCallHistory(null, null).get(0)).satisfies(failed -> {
                assertThat(failed.errorType()).isEqualTo("ProviderServerException");
                assertThat(failed.error()).doesNotContain(key);
            });
        }
    }
}
