package dev.agentgateway.spring;

import dev.agentgateway.core.Gateway;

/**
 * Customizes the auto-configured {@link Gateway} before it is built: add a provider, a
 * listener, a hook. Applied in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface GatewayBuilderCustomizer {

    void customize(Gateway.Builder builder);
}
