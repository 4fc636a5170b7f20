package dev.agentgateway.core.internal;

import dev.agentgateway.core.BeforeCallHook;

import java.util.List;

/**
 * Attempt step 2, before-call hooks, in registration order, once the limits allowed the attempt.
 * A hook that throws vetoes it: the reservation is given back, the veto recorded as a refusal
 * ({@code hook:<class>}), and the hook's exception reaches the caller unchanged.
 */
public final class BeforeHooksStage {

    private final BeforeCallHook[] hooks;
    private final Refusals refusals;

    public BeforeHooksStage(List<BeforeCallHook> hooks, Refusals refusals) {
        this.hooks = hooks.toArray(BeforeCallHook[]::new);
        this.refusals = refusals;
    }

    public void run(PreparedCall prepared) {
        for (BeforeCallHook hook : hooks) {
            try {
                hook.beforeCall(prepared.context());
            } catch (RuntimeException veto) {
                prepared.release(); // counts the failed call: no second count for the refusal
                prepared.markRecorded();
                throw refusals.record(prepared.origin(), "Vetoed by a before-call hook: " + veto.getMessage(), veto,
                        "hook:" + hook.getClass().getName());
            }
        }
    }
}
