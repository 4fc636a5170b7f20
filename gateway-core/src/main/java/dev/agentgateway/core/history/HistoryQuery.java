package dev.agentgateway.core.history;

import java.time.Instant;

/**
 * A filter over the call history; {@code null} fields do not filter. Results are oldest first;
 * {@code limit} keeps the newest {@code limit} of them.
 */
public record HistoryQuery(String agentId, String workflowId, String tenant, Boolean success, Instant since,
                           Instant until, Integer limit) {

    private static final HistoryQuery ALL = new HistoryQuery(null, null, null, null, null, null, null);

    public HistoryQuery {
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
    }

    public static HistoryQuery all() {
        return ALL;
    }

    public static HistoryQuery byAgent(String agentId, Integer limit) {
        return new HistoryQuery(agentId, null, null, null, null, null, limit);
    }

    public HistoryQuery withAgent(String value) {
        return new HistoryQuery(value, workflowId, tenant, success, since, until, limit);
    }

    public HistoryQuery withWorkflow(String value) {
        return new HistoryQuery(agentId, value, tenant, success, since, until, limit);
    }

    public HistoryQuery withTenant(String value) {
        return new HistoryQuery(agentId, workflowId, value, success, since, until, limit);
    }

    public HistoryQuery withSuccess(Boolean value) {
        return new HistoryQuery(agentId, workflowId, tenant, value, since, until, limit);
    }

    public HistoryQuery withSince(Instant value) {
        return new HistoryQuery(agentId, workflowId, tenant, success, value, until, limit);
    }

    public HistoryQuery withUntil(Instant value) {
        return new HistoryQuery(agentId, workflowId, tenant, success, since, value, limit);
    }

    public HistoryQuery withLimit(Integer value) {
        return new HistoryQuery(agentId, workflowId, tenant, success, since, until, value);
    }

    public boolean matches(CallRecord record) {
        return matches(record.agentId(), record.workflowId(), record.tenant(), record.success(), record.timestamp());
    }

    public boolean matches(dev.agentgateway.core.tools.ToolCallRecord record) {
        return matches(record.agentId(), record.workflowId(), record.tenant(), record.success(), record.timestamp());
    }

    private boolean matches(String agent, String workflow, String tenantId, boolean ok, Instant at) {
        return (agentId == null || agentId.equals(agent))
                && (workflowId == null || workflowId.equals(workflow))
                && (tenant == null || tenant.equals(tenantId))
                && (success == null || success == ok)
                && (since == null || !at.isBefore(since))
                && (until == null || at.isBefore(until));
    }
}
