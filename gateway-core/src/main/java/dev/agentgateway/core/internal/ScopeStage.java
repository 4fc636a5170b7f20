package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayContext;

import java.util.Objects;

/**
 * Stage 1, resolve scope: the agent, workflow run and tenant of a call, each from the call or
 * else from the thread's {@link GatewayContext}. A call without an agent is refused here.
 */
public final class ScopeStage {

    private ScopeStage() {
    }

    /** The call with its scope filled in; the same instance when the call named everything the context would. */
    public static GatewayCall resolve(GatewayCall call) {
        GatewayContext context = GatewayContext.current();
        String agentId = call.agentId() != null ? call.agentId() : context.agentId();
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("a call needs an agent id (on the call or in the GatewayContext)");
        }
        String workflowId = call.workflowId() != null ? call.workflowId() : context.workflowId();
        String tenant = call.tenant() != null ? call.tenant() : context.tenant();
        if (agentId.equals(call.agentId()) && Objects.equals(workflowId, call.workflowId()) && Objects.equals(tenant, call.tenant())) {
            return call;
        }
        return call.toBuilder().agentId(agentId).workflowId(workflowId).tenant(tenant).build();
    }
}
