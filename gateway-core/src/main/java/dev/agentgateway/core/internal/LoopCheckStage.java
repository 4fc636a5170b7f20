package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.state.SharedState;

import java.util.Locale;

/**
 * Stage 5, loop check: the settled answer is shown to loop detection before it is recorded. A
 * loop stops the run: the call, answered and paid for, is recorded as refused by
 * {@code loop:<pattern>} (response and cost kept), counted as failed, told to the listeners, and
 * {@link LoopDetectedException} reaches the caller.
 */
public final class LoopCheckStage {

    private final LoopDetector detector;
    private final LimitEnforcer limits;
    private final Events events;
    private final Refusals refusals;

    /** @param detector the detector, or {@code null} when loop detection is off */
    public LoopCheckStage(LoopDetector detector, LimitEnforcer limits, Events events, Refusals refusals) {
        this.detector = detector;
        this.limits = limits;
        this.events = events;
        this.refusals = refusals;
    }

    public void check(GatewayCall call, CallRecord success) {
        if (detector == null) {
            return;
        }
        LlmResponse response = success.response();
        try {
            detector.record(call.workflowId(), call.agentId(), response.content(), stateHash(call.state()), response.toolCalls());
        } catch (LoopDetectedException loop) {
            limits.countFailedCall(call.agentId(), call.tenant(), call.workflowId());
            refusals.record(success.refusedAfter(loop, "loop:" + loop.pattern().name().toLowerCase(Locale.ROOT)));
            events.loopDetected(loop);
            throw loop;
        }
    }

    private static Integer stateHash(Object state) {
        if (state instanceof SharedState shared) {
            return shared.contentHash();
        }
        return state == null ? null : state.hashCode();
    }
}
