package dev.agentgateway.core.internal;

import dev.agentgateway.core.AfterCallHook;
import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.provider.LlmResponse;

import java.util.List;

/**
 * Stage 8, after-call hooks, in registration order, once the call was settled, recorded and
 * checkpointed. A hook that throws reaches the caller; the call stays recorded and paid for.
 */
public final class AfterHooksStage {

    private final AfterCallHook[] hooks;

    public AfterHooksStage(List<AfterCallHook> hooks) {
        this.hooks = hooks.toArray(AfterCallHook[]::new);
    }

    public void run(CallContext context, LlmResponse response) {
        for (AfterCallHook hook : hooks) {
            hook.afterCall(context, response);
        }
    }
}
