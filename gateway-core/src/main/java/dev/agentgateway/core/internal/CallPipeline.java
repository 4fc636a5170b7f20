package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.ProviderRegistry;

/**
 * The governed call path, its stages in this order (docs/architecture.md draws it):
 * <ol>
 *   <li>resolve scope ({@link ScopeStage})</li>
 *   <li>control: kill switch, paused agent, known provider ({@link ControlStage})</li>
 *   <li>offered-tool check ({@link OfferedToolsStage})</li>
 *   <li>the {@link CallStrategy}, which makes one {@link AttemptStage attempt} per retry or fallback:
 *       reserve, before-call hooks, provider, settle</li>
 *   <li>loop check ({@link LoopCheckStage})</li>
 *   <li>record: history and listeners ({@link Events#record})</li>
 *   <li>checkpoint ({@link RunCheckpointer#afterCall})</li>
 *   <li>after-call hooks ({@link AfterHooksStage})</li>
 * </ol>
 * The stages are called in sequence rather than chained through a generic interface: the order is
 * fixed and documented, and a plain sequence allocates nothing per call. {@link #admit} (2–3) and
 * {@link #complete} (5–8) are separate so that a streaming call runs the same stages around an
 * attempt that settles when its stream ends.
 */
public final class CallPipeline {

    private final ControlStage control;
    private final OfferedToolsStage offeredTools;
    private final CallStrategy strategy;
    private final AttemptStage attempts;
    private final LoopCheckStage loopCheck;
    private final Events events;
    private final RunCheckpointer checkpointer;
    private final AfterHooksStage afterHooks;

    public CallPipeline(ControlStage control, OfferedToolsStage offeredTools, CallStrategy strategy, AttemptStage attempts,
                        LoopCheckStage loopCheck, Events events, RunCheckpointer checkpointer, AfterHooksStage afterHooks) {
        this.control = control;
        this.offeredTools = offeredTools;
        this.strategy = strategy;
        this.attempts = attempts;
        this.loopCheck = loopCheck;
        this.events = events;
        this.checkpointer = checkpointer;
        this.afterHooks = afterHooks;
    }

    /**
     * One governed call.
     *
     * @param checkpointCall whether the call saves its own checkpoint (a tool run saves its turns instead)
     * @param override       the client to call instead of the registered one, or {@code null}
     * @param parent         the span of the run the call belongs to
     * @return the call's success record (its response and step)
     */
    public CallRecord execute(GatewayCall requested, boolean checkpointCall, LlmClient override, ExecutionObserver.Span parent) {
        GatewayCall call = ScopeStage.resolve(requested);
        String providerId = ProviderRegistry.normalizeId(call.provider());
        admit(call, providerId, override);
        PreparedCall settled = strategy.execute(new CallTarget(call.agentId(), providerId, call.model(), 1),
                new GovernedAttempt(attempts, call, providerId, override, parent));
        if (settled == null || settled.record() == null) {
            throw new IllegalStateException("The CallStrategy " + strategy.getClass().getName()
                    + " returned without a successful attempt");
        }
        return complete(call, settled, checkpointCall);
    }

    /** Stages 2–3 for a call whose scope is resolved (stage 1): throws the refusal when one refuses it. */
    public void admit(GatewayCall call, String providerId, LlmClient override) {
        control.check(call, providerId, override);
        offeredTools.check(call, providerId);
    }

    /** Stages 5–8, after the attempt that succeeded was settled. */
    public CallRecord complete(GatewayCall call, PreparedCall settled, boolean checkpointCall) {
        CallRecord success = settled.record();
        loopCheck.check(call, success);
        events.record(success);
        if (checkpointCall) {
            checkpointer.afterCall(call, success);
        }
        afterHooks.run(settled.context(), success.response());
        return success;
    }

    /**
     * What the strategy calls per attempt: an object per call rather than a capturing lambda. The
     * call's own client override applies only to attempts at the call's own provider.
     */
    private record GovernedAttempt(AttemptStage attempts, GatewayCall call, String providerId, LlmClient override,
                                   ExecutionObserver.Span parent) implements CallStrategy.Attempt<PreparedCall> {

        @Override
        public PreparedCall run(CallTarget target) {
            return attempts.run(call, target, providerId.equals(target.provider()) ? override : null, parent);
        }
    }
}
