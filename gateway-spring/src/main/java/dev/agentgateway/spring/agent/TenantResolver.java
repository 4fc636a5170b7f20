package dev.agentgateway.spring.agent;

/**
 * Finds, on the thread that calls an agent, the tenant of a call whose code names none (no
 * {@code @Tenant} argument, no tenant in the {@code GatewayContext}). The starter's resolver reads
 * {@code agent-gateway.tenant.*} (the principal, a request header); define a bean of this type for
 * anything else.
 */
@FunctionalInterface
public interface TenantResolver {

    /** The tenant, or {@code null} when this caller has none. */
    String resolveTenant();
}
