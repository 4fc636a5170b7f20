package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.PendingApproval;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/agentapprovals}: the tool calls that paused runs wait to have approved.
 *
 * <ul>
 *   <li>{@code GET /actuator/agentapprovals}: {@code {"pending": n, "writeEnabled": false, "approvals": [{"id",
 *       "workflowId", "agentId", "tenant", "toolCallId", "toolName", "arguments", "requestedAt", "expiresAt",
 *       "state"}]}}, oldest first (at most {@code agent-gateway.actuator.calls.max-limit});</li>
 *   <li>{@code GET /actuator/agentapprovals/{id}}: one approval with its {@code decision} ({@code verdict},
 *       {@code editedArguments}, {@code reason}, {@code decidedBy}, {@code decidedAt}) once decided, and who
 *       resumes the run ({@code claimedBy}); 404 when there is none.</li>
 * </ul>
 *
 * Deciding is {@link AgentApprovalsControlEndpoint}'s, registered instead of this one only with
 * {@code agent-gateway.actuator.write-enabled=true}. Arguments are masked as the other endpoints
 * mask content (and were stored with secrets masked).
 */
@Endpoint(id = "agentapprovals")
public class AgentApprovalsEndpoint {

    private final Approvals approvals;
    private final EndpointSanitizer sanitizer;
    private final int maxListed;

    public AgentApprovalsEndpoint(Approvals approvals, EndpointSanitizer sanitizer, int maxListed) {
        this.approvals = approvals;
        this.sanitizer = sanitizer;
        this.maxListed = maxListed;
    }

    protected boolean isWriteEnabled() {
        return false;
    }

    protected Approvals approvals() {
        return approvals;
    }

    protected Map<String, Object> sanitized(Map<String, Object> body) {
        return sanitizer.sanitizeMap(body);
    }

    @ReadOperation
    public Map<String, Object> pending() {
        List<Approval> pending = approvals.pending(maxListed);
        List<Object> listed = new ArrayList<>(pending.size());
        pending.forEach(approval -> listed.add(describe(approval)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pending", approvals.store().countPending());
        body.put("writeEnabled", isWriteEnabled());
        body.put("approvals", listed);
        return sanitizer.sanitizeMap(body);
    }

    @ReadOperation
    public @Nullable Map<String, Object> approval(@Selector String id) {
        return approvals.find(id).map(this::describe).map(sanitizer::sanitizeMap).orElse(null);
    }

    protected Map<String, Object> describe(Approval approval) {
        PendingApproval request = approval.request();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", request.id());
        map.put("workflowId", request.workflowId());
        map.put("agentId", request.agentId());
        map.put("tenant", request.tenant());
        map.put("toolCallId", request.toolCallId());
        map.put("toolName", request.toolName());
        map.put("arguments", sanitizer.content(request.arguments()));
        map.put("requestedAt", GatewayDescriptors.instant(request.requestedAt()));
        map.put("expiresAt", GatewayDescriptors.instant(request.expiresAt()));
        map.put("state", approval.state());
        ApprovalDecision decision = approval.decision();
        if (decision != null) {
            Map<String, Object> decided = new LinkedHashMap<>();
            decided.put("verdict", decision.verdict());
            decided.put("editedArguments", sanitizer.content(decision.editedArguments()));
            decided.put("reason", decision.reason());
            decided.put("decidedBy", decision.decidedBy());
            decided.put("decidedAt", GatewayDescriptors.instant(decision.decidedAt()));
            map.put("decision", decided);
            map.put("claimedBy", approval.claimedBy());
        }
        return map;
    }
}
