package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.convert.DurationStyle;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /actuator/agentcalls}: the call history, as Spring's {@code httpexchanges} shows HTTP
 * exchanges. It reads through {@link Gateway#getCallHistory(HistoryQuery)}, so it shows whichever
 * history store is active (the JPA store when configured, else the in-memory one).
 *
 * <p>{@code GET /actuator/agentcalls?agentId=&workflowId=&tenant=&success=&since=&until=&limit=}
 * lists calls and tool calls without their content, oldest first, the newest {@code limit} of them
 * ({@code agent-gateway.actuator.calls.default-limit} when absent). Each filter is named as the field
 * it filters; {@code since} and {@code until} bound {@code timestamp} and take an ISO-8601 instant
 * ({@code 2025-01-31T10:00:00Z}) or a look-back duration ({@code 15m}, {@code PT1H}). Any other
 * parameter is a {@code 400} ({@link GatewayEndpointParameters}).
 *
 * <pre>{@code
 * {"calls": [{"callId": "3f2a9c1e-7", "timestamp": "2025-01-31T10:00:00Z", "agentId": "researcher",
 *             "workflowId": "run-1", "step": 1, "tenant": "acme", "provider": "openai", "model": "gpt-4o-mini",
 *             "attempt": 1, "success": true, "error": null, "errorType": null, "refusedBy": null, "cost": 0.00012, "priced": true,
 *             "latencyMs": 812.4, "inputTokens": 120, "outputTokens": 40, "totalTokens": 160, "finishReason": "stop"}],
 *  "toolCalls": [{"timestamp": "...", "agentId": "researcher", "workflowId": "run-1", "tenant": "acme",
 *                 "toolCallId": "call_1", "toolName": "search", "outcome": "success", "success": true,
 *                 "durationMs": 12, "arguments": "{\"q\":\"x\"}", "result": "..."}],
 *  "redacted": false}
 * }</pre>
 *
 * {@code GET /actuator/agentcalls/{callId}} shows one call with its {@code request} (messages,
 * tools, temperature, maxTokens), its {@code response} (content, tool calls, tokens, cost,
 * finish reason) and the {@code toolResults} of the tool calls it asked for; 404 when unknown (or
 * older than the newest {@code agent-gateway.actuator.calls.lookup-window} calls).
 * With {@code agent-gateway.history.redact-content=true} every message content, answer, tool
 * argument and tool result reads {@code "******"}. Secrets are masked in every field regardless.
 */
@Endpoint(id = "agentcalls")
public class AgentCallsEndpoint {

    private final Gateway gateway;
    private final EndpointSanitizer sanitizer;
    private final CallsEndpointSettings settings;

    public AgentCallsEndpoint(Gateway gateway, EndpointSanitizer sanitizer, CallsEndpointSettings settings) {
        this.gateway = gateway;
        this.sanitizer = sanitizer;
        this.settings = settings;
    }

    @ReadOperation
    public Map<String, Object> calls(@Nullable String agentId, @Nullable String workflowId, @Nullable String tenant,
                                     @Nullable Boolean success, @Nullable String since, @Nullable String until,
                                     @Nullable Integer limit) {
        if (limit != null && limit < 0) {
            throw invalid("limit must not be negative, was " + limit);
        }
        int max = Math.max(0, settings.maxLimit());
        int effectiveLimit = Math.min(limit != null ? limit : Math.max(0, settings.defaultLimit()), max);
        HistoryQuery query = new HistoryQuery(blankToNull(agentId), blankToNull(workflowId), blankToNull(tenant), success,
                instant("since", since), instant("until", until), effectiveLimit);
        List<Object> calls = new ArrayList<>();
        for (CallRecord record : gateway.getCallHistory(query)) {
            calls.add(GatewayDescriptors.callSummary(record));
        }
        List<Object> toolCalls = new ArrayList<>();
        for (ToolCallRecord record : gateway.getToolCallHistory(query)) {
            toolCalls.add(GatewayDescriptors.toolCallRecord(record, sanitizer));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("calls", calls);
        body.put("toolCalls", toolCalls);
        body.put("redacted", sanitizer.isRedactContent());
        return sanitizer.sanitizeMap(body);
    }

    @ReadOperation
    public @Nullable Map<String, Object> call(@Selector String callId) {
        CallRecord found = null;
        for (CallRecord record : gateway.getCallHistory(HistoryQuery.all().withLimit(Math.max(0, settings.lookupWindow())))) {
            if (callId.equals(record.callId())) {
                found = record;
            }
        }
        if (found == null) {
            return null;
        }
        Map<String, Object> body = GatewayDescriptors.callDetail(found, sanitizer);
        body.put("toolResults", toolResults(found));
        body.put("redacted", sanitizer.isRedactContent());
        return sanitizer.sanitizeMap(body);
    }

    /** The recorded executions of the tool calls this call's response asked for. */
    private List<Object> toolResults(CallRecord call) {
        if (call.response() == null || call.response().toolCalls().isEmpty()) {
            return List.of();
        }
        Set<String> ids = call.response().toolCalls().stream().map(ToolCall::id).collect(Collectors.toSet());
        HistoryQuery query = new HistoryQuery(call.agentId(), call.workflowId(), call.tenant(), null, call.timestamp(), null, null);
        List<Object> results = new ArrayList<>();
        for (ToolCallRecord record : gateway.getToolCallHistory(query)) {
            if (ids.contains(record.toolCallId())) {
                results.add(GatewayDescriptors.toolCallRecord(record, sanitizer));
            }
        }
        return results;
    }

    private static @Nullable Instant instant(String name, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notAnOffsetDateTime) {
            // try a duration
        }
        try {
            return Instant.now().minus(DurationStyle.detectAndParse(value));
        } catch (RuntimeException notADuration) {
            throw invalid("Invalid " + name + " '" + text + "': give an ISO-8601 instant or a duration such as 15m");
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }
}
