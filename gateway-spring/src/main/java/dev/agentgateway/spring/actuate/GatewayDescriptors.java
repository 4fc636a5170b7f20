package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.ResumePoint;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallRecord;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the core's records into the JSON trees the endpoints answer with: plain maps and lists,
 * so every field (nulls included) is under the endpoint's control and every string can be
 * sanitized on the way out. Conversation content goes through {@link EndpointSanitizer#content}.
 */
final class GatewayDescriptors {

    private GatewayDescriptors() {
    }

    static Map<String, Object> limits(ExecutionLimits limits) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maxBudget", limits.maxBudget());
        map.put("maxSteps", limits.maxSteps());
        map.put("maxTime", duration(limits.maxTime()));
        map.put("maxTimeSeconds", limits.maxTimeSeconds());
        map.put("perAgent", scopeLimits(limits.perAgent()));
        map.put("perWorkflow", scopeLimits(limits.perWorkflow()));
        map.put("perTenant", scopeLimits(limits.perTenant()));
        Map<String, Object> agents = new TreeMap<>();
        limits.agents().forEach((id, agentLimits) -> agents.put(id, scopeLimits(agentLimits)));
        map.put("agents", agents);
        Map<String, Object> tenants = new TreeMap<>();
        limits.tenants().forEach((id, tenantLimits) -> tenants.put(id, scopeLimits(tenantLimits)));
        map.put("tenants", tenants);
        map.put("warningThreshold", limits.warningThreshold());
        return map;
    }

    static Map<String, Object> scopeLimits(ScopeLimits limits) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maxSteps", limits.maxSteps());
        map.put("maxBudget", limits.maxBudget());
        return map;
    }

    /** The figures of one agent or tenant, with the limits in force for it and what remains of them. */
    static Map<String, Object> usage(ScopeUsage usage, ScopeLimits limits) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("steps", usage.committedSteps());
        map.put("reservedSteps", usage.reservedSteps());
        map.put("cost", usage.committedCost());
        map.put("reservedCost", usage.reservedCost());
        map.put("inputTokens", usage.inputTokens());
        map.put("outputTokens", usage.outputTokens());
        map.put("totalTokens", usage.totalTokens());
        map.put("failedCalls", usage.failedCalls());
        map.put("limits", scopeLimits(limits));
        Map<String, Object> remaining = new LinkedHashMap<>();
        remaining.put("steps", limits.maxSteps() == null ? null
                : Math.max(0L, limits.maxSteps() - usage.committedSteps() - usage.reservedSteps()));
        remaining.put("budget", limits.maxBudget() == null ? null
                : nonNegative(limits.maxBudget().subtract(usage.committedCost()).subtract(usage.reservedCost())));
        map.put("remaining", remaining);
        return map;
    }

    /** One call without its content: what {@code /actuator/agentcalls} lists. */
    static Map<String, Object> callSummary(CallRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("callId", record.callId());
        map.put("timestamp", instant(record.timestamp()));
        map.put("agentId", record.agentId());
        map.put("workflowId", record.workflowId());
        map.put("step", record.step());
        map.put("tenant", record.tenant());
        map.put("provider", record.provider());
        map.put("model", record.model());
        map.put("attempt", record.attempt());
        map.put("success", record.success());
        map.put("error", record.error());
        map.put("errorType", record.errorType());
        map.put("refusedBy", record.refusedBy());
        map.put("cost", record.cost());
        map.put("priced", record.priced());
        map.put("latencyMs", record.latencyMs());
        map.put("inputTokens", record.inputTokens());
        map.put("outputTokens", record.outputTokens());
        map.put("totalTokens", record.inputTokens() + record.outputTokens());
        map.put("finishReason", record.response() == null ? null : record.response().finishReason());
        return map;
    }

    /** One call with its request and response. */
    static Map<String, Object> callDetail(CallRecord record, EndpointSanitizer sanitizer) {
        Map<String, Object> map = callSummary(record);
        map.put("request", request(record.request(), sanitizer));
        map.put("response", response(record.response(), sanitizer));
        return map;
    }

    static Map<String, Object> request(LlmRequest request, EndpointSanitizer sanitizer) {
        if (request == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("provider", request.provider());
        map.put("model", request.model());
        map.put("temperature", request.temperature());
        map.put("maxTokens", request.maxTokens());
        map.put("messages", messages(request.messages(), sanitizer));
        List<Object> tools = new ArrayList<>();
        for (ToolSpec tool : request.tools()) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", tool.name());
            spec.put("description", tool.description());
            tools.add(spec);
        }
        map.put("tools", tools);
        return map;
    }

    static Map<String, Object> response(LlmResponse response, EndpointSanitizer sanitizer) {
        if (response == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("content", sanitizer.content(response.content()));
        map.put("toolCalls", toolCalls(response.toolCalls(), sanitizer));
        map.put("inputTokens", response.inputTokens());
        map.put("outputTokens", response.outputTokens());
        map.put("cost", response.cost());
        map.put("model", response.model());
        map.put("provider", response.provider());
        map.put("latencyMs", response.latencyMs());
        map.put("finishReason", response.finishReason());
        return map;
    }

    static List<Object> messages(List<LlmMessage> messages, EndpointSanitizer sanitizer) {
        List<Object> list = new ArrayList<>(messages.size());
        for (LlmMessage message : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", message.role().name().toLowerCase(Locale.ROOT));
            map.put("content", sanitizer.content(message.content()));
            map.put("name", message.name());
            map.put("toolCallId", message.toolCallId());
            map.put("toolCalls", toolCalls(message.toolCalls(), sanitizer));
            list.add(map);
        }
        return list;
    }

    static List<Object> toolCalls(List<ToolCall> calls, EndpointSanitizer sanitizer) {
        List<Object> list = new ArrayList<>(calls.size());
        for (ToolCall call : calls) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", call.id());
            map.put("name", call.name());
            map.put("arguments", sanitizer.content(call.arguments()));
            list.add(map);
        }
        return list;
    }

    static Map<String, Object> toolCallRecord(ToolCallRecord record, EndpointSanitizer sanitizer) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("timestamp", instant(record.timestamp()));
        map.put("agentId", record.agentId());
        map.put("workflowId", record.workflowId());
        map.put("tenant", record.tenant());
        map.put("toolCallId", record.toolCallId());
        map.put("toolName", record.toolName());
        map.put("outcome", record.outcome().name().toLowerCase(Locale.ROOT));
        map.put("success", record.success());
        map.put("durationMs", record.durationMs());
        map.put("arguments", sanitizer.content(record.arguments()));
        map.put("result", sanitizer.content(record.result()));
        return map;
    }

    /**
     * Where the run would resume; {@code stoppedBy} names what ended it after its latest checkpoint
     * for good (a detected loop, a denied tool), which makes it not resumable.
     */
    static Map<String, Object> resumePoint(ResumePoint point, Checkpoint latest, String stoppedBy) {
        if (point == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("step", point.step());
        map.put("iteration", point.iteration());
        map.put("maxIterations", latest == null || latest.run() == null ? null : latest.run().maxIterations());
        map.put("completedToolCallIds", point.completedToolCallIds());
        map.put("pendingToolCallIds", point.pendingToolCallIds());
        map.put("finished", point.finished());
        map.put("resumable", latest != null && latest.resumable() && stoppedBy == null);
        map.put("stoppedBy", stoppedBy);
        return map;
    }

    /** A checkpoint without its conversation and state; {@code stoppedBy} as for {@link #resumePoint}. */
    static Map<String, Object> checkpointSummary(Checkpoint checkpoint, String stoppedBy, EndpointSanitizer sanitizer) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("workflowId", checkpoint.workflowId());
        map.put("step", checkpoint.step());
        map.put("agentId", checkpoint.agentId());
        map.put("timestamp", instant(checkpoint.timestamp()));
        map.put("finished", checkpoint.finished());
        map.put("resumable", checkpoint.resumable() && stoppedBy == null);
        map.put("iteration", checkpoint.run() == null ? null : checkpoint.run().iteration());
        map.put("messageCount", checkpoint.messages().size());
        map.put("pendingToolCalls", toolCalls(checkpoint.pendingToolCalls(), sanitizer));
        map.put("completedToolCallIds", List.copyOf(checkpoint.completedToolResults().keySet()));
        return map;
    }

    /** A checkpoint with its conversation, state, metrics and tool results. */
    static Map<String, Object> checkpointDetail(Checkpoint checkpoint, String stoppedBy, EndpointSanitizer sanitizer) {
        Map<String, Object> map = checkpointSummary(checkpoint, stoppedBy, sanitizer);
        Map<String, Object> completed = new LinkedHashMap<>();
        checkpoint.completedToolResults().forEach((id, result) -> completed.put(id, sanitizer.content(result)));
        map.put("completedToolResults", completed);
        map.put("messages", messages(checkpoint.messages(), sanitizer));
        Map<String, Object> state = new LinkedHashMap<>();
        checkpoint.state().forEach((key, value) -> state.put(key, sanitizer.contentValue(value)));
        map.put("state", state);
        map.put("metrics", checkpoint.metrics());
        if (checkpoint.run() != null) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("agentId", checkpoint.run().agentId());
            run.put("provider", checkpoint.run().provider());
            run.put("model", checkpoint.run().model());
            run.put("tenant", checkpoint.run().tenant());
            run.put("tools", checkpoint.run().tools().stream().map(ToolSpec::name).toList());
            run.put("maxIterations", checkpoint.run().maxIterations());
            run.put("iteration", checkpoint.run().iteration());
            map.put("run", run);
        } else {
            map.put("run", null);
        }
        return map;
    }

    static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String duration(Duration duration) {
        return duration == null ? null : duration.toString();
    }

    static BigDecimal nonNegative(BigDecimal value) {
        return value.signum() < 0 ? BigDecimal.ZERO : value;
    }
}
