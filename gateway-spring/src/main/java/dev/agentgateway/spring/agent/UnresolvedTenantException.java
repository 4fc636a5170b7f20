package dev.agentgateway.spring.agent;

import dev.agentgateway.core.GatewayException;

/**
 * A call of an agent that names no tenant, while {@code agent-gateway.tenant.*} says where tenants
 * come from and none of those sources gave one: refused before the model, so that no call escapes
 * its tenant's limits.
 */
public class UnresolvedTenantException extends GatewayException {

    private final String agentId;

    public UnresolvedTenantException(String agentId, String sources) {
        super("Agent '" + agentId + "' was called without a tenant: " + sources + " gave none. Call it with an"
                + " authenticated principal or the header, name the tenant with @Tenant or GatewayContext, or set"
                + " agent-gateway.tenant.required=false to let calls without a tenant run outside every tenant limit.");
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }
}
