package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.tools.ToolAccessController;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code /actuator/agentgateway}, read side: the seed's metrics map (exactly its keys), the limits
 * in force, the kill switch and paused agents, per-agent and per-tenant figures, loop and tool
 * denial counts, the registered providers and, when known, their circuit breaker states.
 * {@code /actuator/agentgateway/{agentId}} shows one agent.
 *
 * <p>This class has no write operations: it is the endpoint registered while
 * {@code agent-gateway.actuator.write-enabled} is off, so no write request can be mapped.
 * {@link AgentGatewayControlEndpoint} adds them.
 *
 * <pre>{@code
 * {
 *   "metrics":  {"total_cost": 0.0021, "total_steps": 3, "total_tokens": 420, "input_tokens": 300,
 *                "output_tokens": 120, "elapsed_seconds": 12.5,
 *                "remaining": {"budget": 4.9979, "steps": 97, "time": null}, "call_count": 3},
 *   "limits":   {"maxBudget": 5, "maxSteps": 100, "maxTime": null, "maxTimeSeconds": null,
 *                "perAgent": {"maxSteps": null, "maxBudget": null}, "perWorkflow": {...}, "perTenant": {...},
 *                "agents": {"researcher": {"maxSteps": 10, "maxBudget": null}}, "tenants": {}, "warningThreshold": 0.8},
 *   "stopped": false, "pausedAgents": [],
 *   "agents":   {"researcher": {"steps": 2, "reservedSteps": 0, "cost": 0.0014, "reservedCost": 0,
 *                "inputTokens": 200, "outputTokens": 80, "totalTokens": 280, "failedCalls": 0,
 *                "limits": {"maxSteps": 10, "maxBudget": null}, "remaining": {"steps": 8, "budget": null},
 *                "paused": false}},
 *   "tenants":  {"acme": {...same figures, without "paused"...}},
 *   "loopsDetected": 0,
 *   "toolDenials": {"total": 1, "byAgentAndTool": {"researcher:delete_file": 1}},
 *   "providers": ["mock", "openai"],
 *   "circuitBreakers": {"openai": {"state": "CLOSED", ...}},     (only with a ProviderCircuitStates bean)
 *   "writeEnabled": false
 * }
 * }</pre>
 */
@Endpoint(id = "agentgateway")
public class AgentGatewayEndpoint {

    protected final Gateway gateway;
    protected final EndpointSanitizer sanitizer;
    private final ObjectProvider<ProviderCircuitStates> circuitStates;

    public AgentGatewayEndpoint(Gateway gateway, EndpointSanitizer sanitizer, ObjectProvider<ProviderCircuitStates> circuitStates) {
        this.gateway = gateway;
        this.sanitizer = sanitizer;
        this.circuitStates = circuitStates;
    }

    @ReadOperation
    public Map<String, Object> gateway() {
        ExecutionLimits limits = gateway.getLimits();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metrics", gateway.getMetrics());
        body.put("limits", GatewayDescriptors.limits(limits));
        body.put("stopped", gateway.isStopped());
        body.put("pausedAgents", new TreeSet<>(gateway.pausedAgents()));
        Map<String, Object> agents = new TreeMap<>();
        for (String agentId : knownAgents(limits)) {
            agents.put(agentId, agent(agentId, limits));
        }
        body.put("agents", agents);
        Map<String, Object> tenants = new TreeMap<>();
        Set<String> tenantIds = new TreeSet<>(limits.tenants().keySet());
        gateway.usages(LimitScope.Type.TENANT).forEach(usage -> tenantIds.add(usage.scope().id()));
        for (String tenant : tenantIds) {
            LimitScope scope = LimitScope.tenant(tenant);
            tenants.put(tenant, GatewayDescriptors.usage(gateway.usage(scope), limits.limitsFor(scope)));
        }
        body.put("tenants", tenants);
        body.put("loopsDetected", gateway.loopsDetected());
        body.put("toolDenials", toolDenials(null));
        body.put("providers", new TreeSet<>(gateway.providerIds()));
        ProviderCircuitStates states = circuitStates.getIfAvailable();
        if (states != null) {
            body.put("circuitBreakers", new TreeMap<>(states.circuitStates()));
        }
        body.put("writeEnabled", isWriteEnabled());
        return sanitizer.sanitizeMap(body);
    }

    /** One agent: its figures, limits, what remains, whether it is paused, and its tool denials; 404 when unknown. */
    @ReadOperation
    public @Nullable Map<String, Object> agent(@Selector String agentId) {
        ExecutionLimits limits = gateway.getLimits();
        if (!knownAgents(limits).contains(agentId)) {
            return null;
        }
        return agentView(agentId);
    }

    /** The view of one agent, known or not. */
    protected Map<String, Object> agentView(String agentId) {
        ExecutionLimits limits = gateway.getLimits();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.putAll(agent(agentId, limits));
        body.put("toolDenials", toolDenials(agentId));
        return sanitizer.sanitizeMap(body);
    }

    protected boolean isWriteEnabled() {
        return false;
    }

    private Set<String> knownAgents(ExecutionLimits limits) {
        Set<String> ids = new TreeSet<>(limits.agents().keySet());
        ids.addAll(gateway.pausedAgents());
        gateway.usages(LimitScope.Type.AGENT).forEach(usage -> ids.add(usage.scope().id()));
        return ids;
    }

    private Map<String, Object> agent(String agentId, ExecutionLimits limits) {
        LimitScope scope = LimitScope.agent(agentId);
        ScopeUsage usage = gateway.usage(scope);
        Map<String, Object> figures = GatewayDescriptors.usage(usage, limits.limitsFor(scope));
        figures.put("paused", gateway.pausedAgents().contains(agentId));
        return figures;
    }

    private Map<String, Object> toolDenials(@Nullable String agentId) {
        ToolAccessController access = gateway.toolAccess();
        Map<String, Long> stats = access == null ? Map.of() : access.getDenialStats();
        Map<String, Object> byAgentAndTool = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, Long> entry : stats.entrySet()) {
            if (agentId == null || entry.getKey().startsWith(agentId + ":")) {
                byAgentAndTool.put(entry.getKey(), entry.getValue());
                total += entry.getValue();
            }
        }
        Map<String, Object> denials = new LinkedHashMap<>();
        denials.put("total", total);
        denials.put("byAgentAndTool", byAgentAndTool);
        return denials;
    }
}
