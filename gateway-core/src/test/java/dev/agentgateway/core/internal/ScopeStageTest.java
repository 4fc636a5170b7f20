package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeStageTest {

    @Test
    void fillsWhatTheCallLeavesOutFromTheThreadsContext() {
        GatewayCall bare = GatewayCall.builder().provider("p").user("hi").build();

        GatewayCall scoped = new GatewayContext("agent", "run", "acme").call(() -> ScopeStage.resolve(bare));

        assertThat(scoped.agentId()).isEqualTo("agent");
        assertThat(scoped.workflowId()).isEqualTo("run");
        assertThat(scoped.tenant()).isEqualTo("acme");
    }

    @Test
    void theCallsOwnValuesWinAndTheCallIsKeptWhenNothingIsFilledIn() {
        GatewayCall call = Parts.call();

        GatewayCall scoped = new GatewayContext("other", "other-run", null).call(() -> ScopeStage.resolve(call));

        assertThat(scoped).isSameAs(call);
    }

    @Test
    void aCallWithoutAnAgentIsRefused() {
        GatewayCall bare = GatewayCall.builder().provider("p").user("hi").build();

        assertThatThrownBy(() -> ScopeStage.resolve(bare)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent id");
    }
}
