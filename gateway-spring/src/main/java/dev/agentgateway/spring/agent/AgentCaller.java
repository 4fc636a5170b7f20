package dev.agentgateway.spring.agent;

import dev.agentgateway.core.GatewayContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Who calls an agent, worked out on the calling thread before the call starts: the tenant (code
 * first, then the {@link TenantResolver}) and, for the tools, the authenticated principal. The one
 * rule of {@code agent-gateway.tenant.*}, used by {@code @Agent} interfaces, {@code @Agent} classes
 * and the {@code GatewayAdvisor} alike.
 */
public final class AgentCaller {

    private final TenantResolver resolver;
    private final TenantSettings settings;

    AgentCaller(TenantResolver resolver, TenantSettings settings) {
        this.resolver = resolver;
        this.settings = settings;
    }

    /**
     * @param resolver where a call's tenant comes from when the code names none, or {@code null}
     * @param settings the sources configured and whether a tenant is required ({@link TenantSettings#none()} for none)
     */
    public static AgentCaller of(TenantResolver resolver, TenantSettings settings) {
        return new AgentCaller(resolver, settings == null ? TenantSettings.none() : settings);
    }

    /**
     * The tenant of a call of {@code agentId}: {@code declared} (a {@code @Tenant} argument), else the
     * {@link GatewayContext}'s, else the resolver's.
     *
     * @throws UnresolvedTenantException when sources are configured, required, and none gives a tenant
     */
    public String tenant(String agentId, String declared) {
        if (declared != null) {
            return declared;
        }
        String context = GatewayContext.current().tenant();
        if (context != null) {
            return context;
        }
        String resolved = resolver == null ? null : resolver.resolveTenant();
        if (resolved == null && settings != null && settings.hasSource() && settings.required()) {
            throw new UnresolvedTenantException(agentId, sources());
        }
        return resolved;
    }

    /** The workflow id of a call: {@code declared}, else the {@link GatewayContext}'s. */
    String workflowId(String declared) {
        return declared != null ? declared : GatewayContext.current().workflowId();
    }

    private String sources() {
        List<String> sources = new ArrayList<>();
        if (settings.fromPrincipal()) {
            sources.add("agent-gateway.tenant.from-principal (no authenticated principal)");
        }
        if (settings.fromHeader() != null && !settings.fromHeader().isBlank()) {
            sources.add("agent-gateway.tenant.from-header (no '" + settings.fromHeader() + "' header on this request)");
        }
        return String.join(" and ", sources);
    }
}
