package dev.agentgateway.spring.tool;

import java.security.Principal;

/**
 * Who a tool runs for: declare a parameter of this type on a {@link Tool} method (or read it from
 * Spring AI's {@code ToolContext} under {@link #KEY} in a {@code ToolCallback}) and the gateway
 * passes the run's identity. It is never part of the tool's JSON schema, so the model neither sees
 * it nor can set it.
 *
 * @param agentId    the agent whose run called the tool
 * @param workflowId the run's workflow id; {@code null} when the call named none
 * @param tenant     the run's tenant ({@code @Tenant}, {@code GatewayContext}, or the configured
 *                   {@code agent-gateway.tenant.*} resolution); {@code null} when none applies
 * @param principal  the caller's authenticated principal (Spring Security's {@code Authentication}
 *                   where it is present), taken on the thread that called the agent; {@code null}
 *                   when nobody is authenticated
 */
public record ToolRunContext(String agentId, String workflowId, String tenant, Principal principal) {

    /** The key of this context in the {@code ToolContext} handed to {@code ToolCallback}s. */
    public static final String KEY = "agentGateway.toolRunContext";

    private static final ToolRunContext NONE = new ToolRunContext(null, null, null, null);

    /** The context of a tool run outside any agent (a direct {@code Gateway.callWithTools} with the registry). */
    public static ToolRunContext none() {
        return NONE;
    }

    /** The principal's name, or {@code null}. */
    public String principalName() {
        return principal == null ? null : principal.getName();
    }

    @Override
    public String toString() {
        // a principal can carry credentials: name it, never print it
        return "ToolRunContext[agentId=" + agentId + ", workflowId=" + workflowId + ", tenant=" + tenant
                + ", principal=" + principalName() + "]";
    }
}
