package dev.agentgateway.spring.agent;

/**
 * Where an agent call's tenant comes from when the code names none ({@code agent-gateway.tenant.*}).
 *
 * @param fromHeader    the HTTP request header holding the tenant, or {@code null}
 * @param fromPrincipal whether the authenticated principal's name is the tenant
 * @param required      whether a call whose configured sources give no tenant is refused
 */
public record TenantSettings(String fromHeader, boolean fromPrincipal, boolean required) {

    /** No source configured: calls without a tenant in code have none. */
    public static TenantSettings none() {
        return new TenantSettings(null, false, true);
    }

    /** Whether any source is configured. */
    public boolean hasSource() {
        return fromPrincipal || (fromHeader != null && !fromHeader.isBlank());
    }
}
