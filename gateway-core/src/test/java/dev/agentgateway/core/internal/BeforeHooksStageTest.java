package dev.agentgateway.core.internal;

import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BeforeHooksStageTest {

    private final Parts parts = new Parts();

    @Test
    void hooksRunInRegistrationOrderWithTheCallsContext() {
        List<String> seen = new ArrayList<>();
        BeforeHooksStage stage = new BeforeHooksStage(List.of(context -> seen.add("first " + context.agentId()),
                context -> seen.add("second " + context.request().maxTokens())), parts.refusals);

        stage.run(parts.prepared(TestClients.echo("0.1")));

        assertThat(seen).containsExactly("first a", "second 100");
    }

    @Test
    void aVetoGivesTheReservationBackAndIsRecordedOnceAsARefusal() {
        IllegalStateException veto = new IllegalStateException("not today");
        BeforeCallHook vetoing = context -> {
            throw veto;
        };
        BeforeHooksStage stage = new BeforeHooksStage(List.of(vetoing), parts.refusals);
        PreparedCall prepared = parts.prepared(TestClients.echo("0.1"));

        assertThatThrownBy(() -> stage.run(prepared)).isSameAs(veto);
        assertThat(parts.global().reservedSteps()).isZero();
        assertThat(parts.global().failedCalls()).isEqualTo(1);
        assertThat(prepared.recorded()).isTrue();
        assertThat(parts.records()).singleElement().satisfies(record -> {
            assertThat(record.refusedBy()).startsWith("hook:");
            assertThat(record.error()).isEqualTo("Vetoed by a before-call hook: not today");
        });
    }
}
