package dev.agentgateway.core.internal;

import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayControl;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ProviderRegistry;

/**
 * Stage 2, control: the kill switch, a paused agent and an unknown provider each refuse the call
 * before anything is reserved.
 */
public final class ControlStage {

    private final GatewayControl control;
    private final ProviderRegistry providers;
    private final Refusals refusals;

    public ControlStage(GatewayControl control, ProviderRegistry providers, Refusals refusals) {
        this.control = control;
        this.providers = providers;
        this.refusals = refusals;
    }

    /** @param override the client the call brought along, or {@code null} for the registered one */
    public void check(GatewayCall call, String providerId, LlmClient override) {
        if (control.isStopped()) {
            throw refusals.refuse(call, providerId, call.model(), 1, new GatewayStoppedException(call.agentId()), "kill-switch");
        }
        if (control.isPaused(call.agentId())) {
            throw refusals.refuse(call, providerId, call.model(), 1, new AgentPausedException(call.agentId()),
                    "pause:" + call.agentId());
        }
        if (override == null && !providers.contains(providerId)) {
            throw refusals.refuse(call, providerId, call.model(), 1, ProviderNotFoundException.notRegistered(providerId),
                    "provider:" + providerId);
        }
    }
}
