package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.ReservationOverrun;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallRecord;

/**
 * Observes what the gateway decides, for metrics and events. Called synchronously on the calling
 * thread: keep it quick and do not throw (exceptions are logged and ignored).
 */
public interface GatewayListener {

    /** A call reached the provider and was recorded, successful or not. */
    default void onCallRecorded(CallRecord record) {
    }

    /** A call was refused by a limit before reaching the provider. */
    default void onLimitRefused(ExecutionLimitException refusal) {
    }

    /** A limit reached its warning threshold: once per limit and scope (see {@code ExecutionLimits} warningThreshold). */
    default void onLimitWarning(LimitWarning warning) {
    }

    /** A call cost more than it reserved (its client did not keep to max tokens); the actual cost was committed. */
    default void onReservationOverrun(ReservationOverrun overrun) {
    }

    default void onLoopDetected(LoopDetectedException loop) {
    }

    /** A tool call of a run ended, in any way; one the agent may not use arrives with outcome {@code DENIED}. */
    default void onToolCall(ToolCallRecord record) {
    }

    /** A call offered a tool the agent may not use, and was refused before the provider saw it. */
    default void onToolDenied(ToolAccessDeniedException denial) {
    }

    /** A stream that delivered output ended; how long its first output took (before its record is told). */
    default void onTimeToFirstToken(TimeToFirstToken firstToken) {
    }
}
