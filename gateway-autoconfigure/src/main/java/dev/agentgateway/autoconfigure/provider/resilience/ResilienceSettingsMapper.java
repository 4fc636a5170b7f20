package dev.agentgateway.autoconfigure.provider.resilience;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.provider.resilience.RateLimitSettings;
import dev.agentgateway.spring.provider.resilience.ResilienceSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The settings of the resilience machinery, read from {@code agent-gateway.resilience.*} and the agents' and tools' entries. */
public final class ResilienceSettingsMapper {

    private ResilienceSettingsMapper() {
    }

    public static ResilienceSettings resilience(ResilienceProperties properties) {
        ResilienceProperties.Retry retry = properties.getRetry();
        ResilienceProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
        return new ResilienceSettings(
                new ResilienceSettings.Retry(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMultiplier(),
                        retry.getMaxBackoff(), retry.isHonourRetryAfter(), retry.getMaxRetryAfter()),
                new ResilienceSettings.CircuitBreaker(breaker.isEnabled(), breaker.getFailureRateThreshold(),
                        breaker.getSlidingWindowSize(), breaker.getMinimumNumberOfCalls(),
                        breaker.getWaitDurationInOpenState(), breaker.getPermittedCallsInHalfOpenState()),
                targets(properties.getFallbacks()));
    }

    /** Each agent's own fallbacks ({@code agent-gateway.agents.<id>.fallbacks}); empty for an agent without any. */
    public static Function<String, List<ResilienceSettings.Target>> agentFallbacks(AgentGatewayProperties properties) {
        Map<String, List<ResilienceSettings.Target>> fallbacks = new LinkedHashMap<>();
        properties.getAgents().forEach((agentId, agent) -> fallbacks.put(agentId, agent == null ? List.of() : targets(agent.getFallbacks())));
        return agentId -> fallbacks.getOrDefault(agentId, List.of());
    }

    /** The rate limits of the agents that have one ({@code agent-gateway.agents.<id>.rate-limit}). */
    public static Map<String, RateLimitSettings> agentRateLimits(AgentGatewayProperties properties) {
        return rateLimits(properties.getAgents(), AgentGatewayProperties.AgentSettings::getRateLimit);
    }

    /** The rate limits of the tools that have one ({@code agent-gateway.tools.<name>.rate-limit}). */
    public static Map<String, RateLimitSettings> toolRateLimits(AgentGatewayProperties properties) {
        return rateLimits(properties.getTools(), AgentGatewayProperties.ToolSettings::getRateLimit);
    }

    private static <T> Map<String, RateLimitSettings> rateLimits(Map<String, T> entries,
                                                                 Function<T, AgentGatewayProperties.RateLimit> limit) {
        Map<String, RateLimitSettings> limits = new LinkedHashMap<>();
        entries.forEach((name, entry) -> {
            AgentGatewayProperties.RateLimit settings = entry == null ? null : limit.apply(entry);
            if (settings != null) {
                limits.put(name, new RateLimitSettings(settings.getLimitForPeriod(), settings.getRefreshPeriod(),
                        settings.getTimeout()));
            }
        });
        return limits;
    }

    private static List<ResilienceSettings.Target> targets(List<AgentGatewayProperties.Target> targets) {
        return targets == null ? List.of() : targets.stream()
                .filter(Objects::nonNull)
                .map(target -> new ResilienceSettings.Target(target.getProvider(), target.getModel()))
                .toList();
    }
}
