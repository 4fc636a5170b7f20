package dev.agentgateway.core.limits;

import java.util.Objects;

/**
 * Where a limit applies: the whole gateway, one agent, one workflow run, or one tenant.
 * Usage is kept for every scope a call touches, so one gateway bean can serve many runs.
 */
public record LimitScope(Type type, String id) {

    public enum Type { GLOBAL, AGENT, WORKFLOW, TENANT }

    private static final LimitScope GLOBAL = new LimitScope(Type.GLOBAL, "*");

    public LimitScope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static LimitScope global() {
        return GLOBAL;
    }

    public static LimitScope agent(String agentId) {
        return new LimitScope(Type.AGENT, agentId);
    }

    public static LimitScope workflow(String workflowId) {
        return new LimitScope(Type.WORKFLOW, workflowId);
    }

    public static LimitScope tenant(String tenant) {
        return new LimitScope(Type.TENANT, tenant);
    }

    @Override
    public String toString() {
        return type == Type.GLOBAL ? "global" : type.name().toLowerCase(java.util.Locale.ROOT) + " '" + id + "'";
    }
}
