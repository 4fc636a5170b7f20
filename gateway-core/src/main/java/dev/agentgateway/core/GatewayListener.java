package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitWarning;
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

    default void onLimitWarning(LimitWarning warning) {
    }

    default void onLoopDetected(LoopDetectedException loop) {
    }

    default void onToolCall(ToolCallRecord record) {
    }

    default void onToolDenied(ToolAccessDeniedException denial) {
    }
}
