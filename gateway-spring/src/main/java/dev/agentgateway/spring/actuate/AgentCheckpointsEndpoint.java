package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
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
 *       "resumable", "stoppedBy"}, "checkpoints": [{"step", "agentId", "timestamp", "finished", "resumable", "iteration",
 *       "messageCount", "pendingToolCalls", "completedToolCallIds"}]}}; 404 without checkpoints;</li>
 *   <li>{@code GET /actuator/agentcheckpoints/{workflowId}/{step}}: one checkpoint in full, with its
 *       {@code messages}, {@code state}, {@code metrics}, {@code completedToolResults} and {@code run};
 *       content is masked when {@code agent-gateway.history.redact-content=true}.</li>
 * </ul>
 */
@Endpoint(id = "agentcheckpoints")
public class AgentCheckpointsEndpoint {

    /** The kinds of {@link CallRecord#refusedBy()} that end a run for good. */
    private static final String LOOP = "loop";
    private static final String TOOL_ACCESS = "tool-access";

    private final Gateway gateway;
    private final EndpointSanitizer sanitizer;
    private final CheckpointsEndpointSettings settings;

    public AgentCheckpointsEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                    CheckpointsEndpointSettings settings) {
        this.gateway = gateway;
        this.sanitizer = sanitizer;
        this.settings = settings;
    }

    @ReadOperation
    public Map<String, Object> workflows() {
        Set<String> ids = new TreeSet<>();
        gateway.usages(LimitScope.Type.WORKFLOW).forEach(usage -> ids.add(usage.scope().id()));
        int window = Math.max(0, settings.discoveryWindow());
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
            String stoppedBy = stoppedBy(workflowId, latest);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("checkpoints", checkpoints.size());
            entry.put("latest", latest == null ? null : GatewayDescriptors.checkpointSummary(latest, stoppedBy, sanitizer));
            entry.put("resumePoint", GatewayDescriptors.resumePoint(gateway.getResumePoint(workflowId), latest, stoppedBy));
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
        String stoppedBy = stoppedBy(workflowId, latest);
        List<Object> summaries = new ArrayList<>(checkpoints.size());
        checkpoints.forEach(checkpoint -> summaries.add(GatewayDescriptors.checkpointSummary(checkpoint, stoppedBy, sanitizer)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workflowId", workflowId);
        body.put("resumePoint", GatewayDescriptors.resumePoint(gateway.getResumePoint(workflowId), latest, stoppedBy));
        body.put("checkpoints", summaries);
        return sanitizer.sanitizeMap(body);
    }

    @ReadOperation
    public @Nullable Map<String, Object> checkpoint(@Selector String workflowId, @Selector int step) {
        Checkpoint checkpoint = gateway.getCheckpoint(workflowId, step);
        if (checkpoint == null) {
            return null;
        }
        String stoppedBy = stoppedBy(workflowId, gateway.getCheckpoint(workflowId, null));
        Map<String, Object> body = GatewayDescriptors.checkpointDetail(checkpoint, stoppedBy, sanitizer);
        body.put("redacted", sanitizer.isRedactContent());
        return sanitizer.sanitizeMap(body);
    }

    /**
     * What ended the run for good after its latest checkpoint, in the history's {@code refusedBy}
     * form: a detected loop ({@code loop:<pattern>}) or a denied tool ({@code tool-access…}). Resuming
     * would only meet it again, so such a run is not shown as resumable. A limit, a pause or the kill
     * switch is not among them: the run resumes once the operator lifts it.
     */
    private @Nullable String stoppedBy(String workflowId, @Nullable Checkpoint latest) {
        if (latest == null || !latest.resumable()) {
            return null;
        }
        HistoryQuery sinceLatest = new HistoryQuery(null, workflowId, null, null, latest.timestamp(), null, null);
        for (ToolCallRecord toolCall : gateway.getToolCallHistory(sinceLatest)) {
            if (toolCall.outcome() == ToolCallOutcome.DENIED) {
                return TOOL_ACCESS + ":" + toolCall.toolName();
            }
        }
        for (CallRecord call : gateway.getCallHistory(sinceLatest.withSuccess(false))) {
            String refusedBy = call.refusedBy();
            if (refusedBy != null && (refusedBy.startsWith(LOOP) || refusedBy.startsWith(TOOL_ACCESS))) {
                return refusedBy;
            }
        }
        return null;
    }
}
