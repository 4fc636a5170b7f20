package dev.agentgateway.core;

/**
 * The seed's {@code on_before_call}: runs after the limits allowed a call, before the provider
 * sees it. Throwing vetoes the call: its reservation is released, the failure recorded, and the
 * exception reaches the caller unchanged.
 */
@FunctionalInterface
public interface BeforeCallHook {

    void beforeCall(CallContext context);
}
