package dev.agentgateway.core.limits;

/**
 * Told when a limit reaches its warning threshold; called on the calling thread, keep it quick.
 *
 * @deprecated the same as {@link dev.agentgateway.core.GatewayListener#onLimitWarning}, told at the same
 * point: implement that instead (one extension model for what the gateway decides)
 */
@Deprecated(since = "0.1.0")
@FunctionalInterface
public interface LimitWarningListener {

    void onWarning(LimitWarning warning);
}
