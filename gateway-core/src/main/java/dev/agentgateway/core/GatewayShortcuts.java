package dev.agentgateway.core;

import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.ResumePoint;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.ExecutionMetrics;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.tools.ToolCallRecord;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's API on {@link Gateway}: shortcuts to its parts (limits, history, checkpoints,
 * control, providers), each one line over the part that does the work. Kept apart so that the
 * gateway itself is the call path and the accessors of its parts.
 */
public interface GatewayShortcuts {

    /** The clients by provider id, their factories, and the redactor of their keys. */
    ProviderRegistry providers();

    /** The kill switch and paused agents. */
    GatewayControl control();

    /** The limits in force, usage per scope, the run clock. */
    LimitEnforcer limits();

    CallHistoryStore history();

    CheckpointStore checkpoints();

    default Set<String> providerIds() {
        return providers().ids();
    }

    // ---- metrics and usage ---------------------------------------------------------------------

    /** The seed's {@code get_metrics()}: see {@link LimitEnforcer#metricsMap()}. */
    default Map<String, Object> getMetrics() {
        return limits().metricsMap();
    }

    /** The seed's {@code metrics} property: a consistent snapshot of the global figures. */
    default ExecutionMetrics metrics() {
        return limits().metrics();
    }

    /** Usage of one scope: an agent, a workflow run, a tenant. */
    default ScopeUsage usage(LimitScope scope) {
        return limits().usage(scope);
    }

    default List<ScopeUsage> usages(LimitScope.Type type) {
        return limits().usages(type);
    }

    // ---- history -------------------------------------------------------------------------------

    /** The seed's {@code get_call_history}: oldest first, the last {@code limit}; nulls do not filter. */
    default List<CallRecord> getCallHistory(String agentId, Integer limit) {
        return history().find(HistoryQuery.byAgent(agentId, limit));
    }

    default List<CallRecord> getCallHistory(HistoryQuery query) {
        return history().find(query);
    }

    default List<ToolCallRecord> getToolCallHistory(String agentId, Integer limit) {
        return history().findToolCalls(HistoryQuery.byAgent(agentId, limit));
    }

    default List<ToolCallRecord> getToolCallHistory(HistoryQuery query) {
        return history().findToolCalls(query);
    }

    // ---- checkpoints ---------------------------------------------------------------------------

    /** The checkpoint of {@code step}, or the latest when {@code step} is null; null when there is none. */
    default Checkpoint getCheckpoint(String workflowId, Integer step) {
        return (step == null ? checkpoints().latest(workflowId) : checkpoints().find(workflowId, step)).orElse(null);
    }

    default List<Checkpoint> getCheckpoints(String workflowId) {
        return checkpoints().list(workflowId);
    }

    /** Where {@link Gateway#resume} would continue, or null without a checkpoint. */
    default ResumePoint getResumePoint(String workflowId) {
        return checkpoints().latest(workflowId).map(ResumePoint::of).orElse(null);
    }

    // ---- limits and control --------------------------------------------------------------------

    default ExecutionLimits getLimits() {
        return limits().limits();
    }

    /** Replaces the limits; the next call is checked against the new ones. */
    default void updateLimits(ExecutionLimits newLimits) {
        limits().update(newLimits);
    }

    /** Starts the time limit's clock now (otherwise it starts at the first call). */
    default void start() {
        limits().start();
    }

    /** Lifts {@link Gateway#stopAll()}. */
    default void resumeAll() {
        control().resumeAll();
    }

    default boolean isStopped() {
        return control().isStopped();
    }

    default void resumeAgent(String agentId) {
        control().resumeAgent(agentId);
    }

    default Set<String> pausedAgents() {
        return control().pausedAgents();
    }
}
