package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.LimitScope;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /actuator/agentcheckpoints}: the checkpoints of workflow runs and where each would resume.
 *
 * <ul>
 *   <li>{@code GET /actuator/agentcheckpoints}: {@code {"checkpointEnabled": true, "workflows": {"run-1":
 *       {"checkpoints": 4, "latest": {...summary...}, "resumePoint": {...}}}}} for the workflows the
 *       gateway knows of (those with usage in the budget ledger, and those among the newest calls of
 *       the history, {@code agent-gateway.actuator.checkpoints.discovery-window});</li>
 *   <li>{@code GET /actuator/agentcheckpoints/{workflowId}}: {@code {"workflowId", "resumePoint":
 *       {"step", "iteration", "maxIterations", "completedToolCallIds", "pendingToolCallIds", "finished",
 *       "resumable"}, "checkpoints": [{"step", "agentId", "timestamp", "finished", "resumable", "iteration",
 *       "messageCount", "pendingToolCalls", "completedToolCallIds"}]}}; 404 without checkpoints;</li>
 *   <li>{@code GET /actuator/agentcheckpoints/{workflowId}/{step}}: one checkpoint in full, with its
 *       {@code messages}, {@code state}, {@code metrics}, {@code completedToolResults} and {@code run};
 *       content is masked when {@code agent-gateway.history.redact-content=true}.</li>
 * </ul>
 */
@Endpoint(id = "agentcheckpoints")
public class AgentCheckpointsEndpoint {

    private final Gateway gateway;
    private final EndpointSanitizer sanitizer;
    private final AgentGatewayActuatorProperties.Checkpoints settings;

    public AgentCheckpointsEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                    AgentGatewayActuatorProperties.Checkpoints settings) {
        this.gateway = gateway;
        this.sanitizer = sanitizer;
        this.settings = settings;
    }

    @ReadOperation
    public Map<String, Object> workflows() {
        Set<String> ids = new TreeSet<>();
        gateway.usages(LimitScope.Type.WORKFLOW).forEach(usage -> ids.add(usage.scope().id()));
        int window = Math.max(0, settings.getDiscoveryWindow());
        for (CallRecord record : gateway.getCallHistory(HistoryQuery.all().withLimit(window))) {
            if (record.workflowId() != null) {
                ids.add(record.workflowId());
            }
        }
        Map<String, Object> workflows = new LinkedHashMap<>();
        for (String workflowId : ids) {
            List<Checkpoint> checkpoints = gateway.getCheckpoints(workflowId);
            if (checkpoints.isEmpty()) {
                continue;
            }
            Checkpoint latest = gateway.getCheckpoint(workflowId, null);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("checkpoints", checkpoints.size());
            entry.put("latest", latest == null ? null : GatewayDescriptors.checkpointSummary(latest, sanitizer));
            entry.put("resumePoint", GatewayDescriptors.resumePoint(gateway.getResumePoint(workflowId), latest));
            workflows.put(workflowId, entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("checkpointEnabled", gateway.isCheckpointEnabled());
        body.put("workflows", workflows);
        return sanitizer.sanitizeMap(body);
    }

    @ReadOperation
    public @Nullable Map<String, Object> workflow(@Selector String workflowId) {
        List<Checkpoint> checkpoints = gateway.getCheckpoints(workflowId);
        if (checkpoints.isEmpty()) {
            return null;
        }
        Checkpoint latest = gateway.getCheckpoint(workflowId, null);
        List<Object> summaries = new ArrayList<>(checkpoints.size());
        checkpoints.forEach(checkpoint -> summaries.add(GatewayDescriptors.checkpointSummary(checkpoint, sanitizer)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workflowId", workflowId);
        body.put("resumePoint", GatewayDescriptors.resumePoint(gateway.getResumePoint(workflowId), latest));
        body.put("checkpoints", summaries);
        return sanitizer.sanitizeMap(body);
    }

    @ReadOperation
    public @Nullable Map<String, Object> checkpoint(@Selector String workflowId, @Selector int step) {
        Checkpoint checkpoint = gateway.getCheckpoint(workflowId, step);
        if (checkpoint == null) {
            return null;
        }
        Map<String, Object> body = GatewayDescriptors.checkpointDetail(checkpoint, sanitizer);
        body.put("redacted", sanitizer.isRedactContent());
        return sanitizer.sanitizeMap(body);
    }
}
