package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolAccessRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfferedToolsStageTest {

    private final Parts parts = new Parts();

    @Test
    void offeringAToolTheAgentMayNotUseRefusesTheCallAndTellsTheListeners() {
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("shell").deny("a"));
        OfferedToolsStage stage = new OfferedToolsStage(access, parts.events, parts.refusals);
        GatewayCall call = Parts.call().toBuilder().tool(ToolSpec.of("search", "web")).tool(ToolSpec.of("shell", "run")).build();

        assertThatThrownBy(() -> stage.check(call, "p")).isInstanceOf(ToolAccessDeniedException.class);
        assertThat(parts.records()).extracting(CallRecord::refusedBy).containsExactly("tool-access:shell");
        assertThat(parts.heard).first().asString().startsWith("tool-denied:");
    }

    @Test
    void withoutRulesEveryToolMayBeOffered() {
        OfferedToolsStage stage = new OfferedToolsStage(null, parts.events, parts.refusals);
        GatewayCall call = Parts.call().toBuilder().tool(ToolSpec.of("shell", "run")).build();

        assertThatNoException().isThrownBy(() -> stage.check(call, "p"));
        assertThat(parts.records()).isEmpty();
    }
}
