package dev.agentgateway.core;

import dev.agentgateway.core.provider.LlmResponse;

/** The seed's {@code on_after_call}: runs after a successful call was settled and recorded. */
@FunctionalInterface
public interface AfterCallHook {

    void afterCall(CallContext context, LlmResponse response);
}
