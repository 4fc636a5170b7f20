package dev.agentgateway.core.internal;

import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.GatewayControl;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ControlStageTest {

    private final Parts parts = new Parts();
    private final GatewayControl control = new GatewayControl();
    private final ControlStage stage = new ControlStage(control, parts.providers, parts.refusals);

    @Test
    void theKillSwitchRefusesTheCallAndRecordsTheRefusal() {
        parts.providers.register("p", MockLlmClient.create());
        control.stopAll();

        assertThatThrownBy(() -> stage.check(Parts.call(), "p", null)).isInstanceOf(GatewayStoppedException.class);
        assertThat(parts.records()).extracting(CallRecord::refusedBy).containsExactly("kill-switch");
        assertThat(parts.global().failedCalls()).isEqualTo(1);
    }

    @Test
    void aPausedAgentIsRefused() {
        parts.providers.register("p", MockLlmClient.create());
        control.pauseAgent("a");

        assertThatThrownBy(() -> stage.check(Parts.call(), "p", null)).isInstanceOf(AgentPausedException.class);
        assertThat(parts.records()).extracting(CallRecord::refusedBy).containsExactly("pause:a");
    }

    @Test
    void anUnknownProviderIsRefusedUnlessTheCallBringsItsOwnClient() {
        assertThatThrownBy(() -> stage.check(Parts.call(), "p", null)).isInstanceOf(ProviderNotFoundException.class);
        assertThat(parts.records()).extracting(CallRecord::refusedBy).containsExactly("provider:p");

        assertThatNoException().isThrownBy(() -> stage.check(Parts.call(), "p", MockLlmClient.create()));
    }
}
