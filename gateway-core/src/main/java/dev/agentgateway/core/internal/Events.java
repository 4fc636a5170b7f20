package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.ReservationOverrun;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.TimeToFirstToken;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.slf4j.Logger;

import java.util.List;

/**
 * The history and the {@link GatewayListener}s: every record is appended, then told to each
 * listener in registration order. A listener that throws is logged and skipped; the call goes on.
 * Dispatched by a switch rather than a callback per event, so telling listeners allocates nothing.
 */
public final class Events {

    private static final Logger log = GatewayLog.LOG;

    private final CallHistoryStore history;
    private final GatewayListener[] listeners;

    public Events(CallHistoryStore history, List<GatewayListener> listeners) {
        this.history = history;
        this.listeners = listeners.toArray(GatewayListener[]::new);
    }

    public CallHistoryStore history() {
        return history;
    }

    /** Appends a call's record to the history, then tells the listeners. */
    public void record(CallRecord record) {
        history.append(record);
        tell(Event.CALL_RECORDED, record);
    }

    public void recordToolCall(ToolCallRecord record) {
        history.appendToolCall(record);
        tell(Event.TOOL_CALL, record);
    }

    public void limitWarning(LimitWarning warning) {
        log.warn("Limit warning: {} of {} at {} of {} ({}% threshold)", warning.kind(), warning.scope(),
                warning.current().toPlainString(), warning.limit().toPlainString(), Math.round(warning.threshold() * 100));
        tell(Event.LIMIT_WARNING, warning);
    }

    public void limitRefused(ExecutionLimitException refusal) {
        tell(Event.LIMIT_REFUSED, refusal);
    }

    public void reservationOverrun(ReservationOverrun overrun) {
        tell(Event.RESERVATION_OVERRUN, overrun);
    }

    public void loopDetected(LoopDetectedException loop) {
        tell(Event.LOOP_DETECTED, loop);
    }

    public void toolDenied(ToolAccessDeniedException denial) {
        tell(Event.TOOL_DENIED, denial);
    }

    public void timeToFirstToken(TimeToFirstToken firstToken) {
        tell(Event.FIRST_TOKEN, firstToken);
    }

    private enum Event {
        CALL_RECORDED, TOOL_CALL, LIMIT_WARNING, LIMIT_REFUSED, RESERVATION_OVERRUN, LOOP_DETECTED, TOOL_DENIED, FIRST_TOKEN
    }

    private void tell(Event event, Object payload) {
        for (GatewayListener listener : listeners) {
            try {
                switch (event) {
                    case CALL_RECORDED -> listener.onCallRecorded((CallRecord) payload);
                    case TOOL_CALL -> listener.onToolCall((ToolCallRecord) payload);
                    case LIMIT_WARNING -> listener.onLimitWarning((LimitWarning) payload);
                    case LIMIT_REFUSED -> listener.onLimitRefused((ExecutionLimitException) payload);
                    case RESERVATION_OVERRUN -> listener.onReservationOverrun((ReservationOverrun) payload);
                    case LOOP_DETECTED -> listener.onLoopDetected((LoopDetectedException) payload);
                    case TOOL_DENIED -> listener.onToolDenied((ToolAccessDeniedException) payload);
                    case FIRST_TOKEN -> listener.onTimeToFirstToken((TimeToFirstToken) payload);
                }
            } catch (RuntimeException e) {
                log.warn("Gateway listener {} failed: {}", listener.getClass().getName(), e.toString());
            }
        }
    }
}
