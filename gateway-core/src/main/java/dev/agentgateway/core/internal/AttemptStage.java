package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmClient;

/**
 * Stage 4, one governed attempt, made by the {@code CallStrategy} once per retry or fallback:
 * reserve, before-call hooks, provider, settle. However it ends (a refusal, an exception, an
 * {@link Error}), the reservation is settled exactly once and the attempt is recorded: a failed
 * attempt as a failure, before the strategy decides on the next.
 */
public final class AttemptStage {

    private final ReserveStage reserve;
    private final BeforeHooksStage beforeHooks;
    private final ProviderStage provider;
    private final SettleStage settle;
    private final ExecutionObserver observer;
    private final Events events;
    private final Refusals refusals;

    public AttemptStage(ReserveStage reserve, BeforeHooksStage beforeHooks, ProviderStage provider, SettleStage settle,
                        ExecutionObserver observer, Events events, Refusals refusals) {
        this.reserve = reserve;
        this.beforeHooks = beforeHooks;
        this.provider = provider;
        this.settle = settle;
        this.observer = observer;
        this.events = events;
        this.refusals = refusals;
    }

    /** A settled attempt: its success record is appended by the pipeline once loop detection has seen it. */
    public PreparedCall run(GatewayCall call, CallTarget target, LlmClient override, ExecutionObserver.Span parent) {
        PreparedCall prepared = open(call, target, override, parent);
        try {
            settle.settle(prepared, provider.complete(prepared));
            return prepared;
        } catch (RuntimeException | Error failure) {
            fail(prepared, failure);
            throw failure;
        } finally {
            prepared.release();
        }
    }

    /**
     * Reserve and before-call hooks: the attempt up to the provider step. A stream opens its
     * provider stream on the result and later {@link SettleStage#settle settles} or {@link #fail fails} it.
     */
    public PreparedCall open(GatewayCall call, CallTarget target, LlmClient override, ExecutionObserver.Span parent) {
        PreparedCall prepared = reserve.prepare(call, target, override, parent);
        try {
            prepared.start(observer);
            beforeHooks.run(prepared);
            return prepared;
        } catch (RuntimeException | Error failure) {
            fail(prepared, failure);
            throw failure;
        }
    }

    /** Ends a failed attempt: reservation released, failure recorded (unless a veto was), span ended. */
    public void fail(PreparedCall prepared, Throwable failure) {
        prepared.release();
        if (!prepared.recorded()) {
            prepared.markRecorded();
            events.record(CallRecord.failure(prepared.origin(), refusals.describe(failure), failure, prepared.elapsedMillis()));
        }
        prepared.span().end(failure);
    }
}
