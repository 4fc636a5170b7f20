package dev.agentgateway.core.limits;

/** Told when a limit reaches its warning threshold; called on the calling thread, keep it quick. */
@FunctionalInterface
public interface LimitWarningListener {

    void onWarning(LimitWarning warning);
}
