package dev.agentgateway.spring.actuate;

import java.util.Map;

/**
 * The state of each provider's circuit breaker, for {@code /actuator/agentgateway}. The actuator
 * auto-configuration supplies one over the Resilience4j call strategy when that strategy is in
 * use; an application with its own circuit breakers can define its own bean.
 */
@FunctionalInterface
public interface ProviderCircuitStates {

    /**
     * By provider id: at least {@code "state"} ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, …),
     * plus whatever figures the implementation has (failure rate, buffered and failed calls).
     */
    Map<String, Map<String, Object>> circuitStates();
}
