package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunCheckpointerTest {

    private final Parts parts = new Parts();
    private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();

    private CallRecord answered() {
        PreparedCall prepared = parts.prepared(TestClients.echo("0.1"));
        prepared.start(ExecutionObserver.NOOP);
        return new SettleStage(parts.costs, parts.limits, parts.events)
                .settle(prepared, LlmResponse.text("answer", 1, 1).withCost(new BigDecimal("0.1")));
    }

    @Test
    void aCallOfARunSavesTheConversationWithItsAnswer() {
        new RunCheckpointer(store, true, parts.limits, parts.clock).afterCall(Parts.call(), answered());

        Checkpoint saved = store.latest("run-1").orElseThrow();
        assertThat(saved.step()).isEqualTo(1);
        assertThat(saved.messages()).extracting(LlmMessage::content).containsExactly("hello", "answer");
        assertThat(saved.metrics()).containsKey("total_cost");
    }

    @Test
    void nothingIsSavedWhenCheckpointsAreOffOrTheCallIsInNoRun() {
        new RunCheckpointer(store, false, parts.limits, parts.clock).afterCall(Parts.call(), answered());
        GatewayCall outsideARun = Parts.call().toBuilder().workflowId(null).build();
        new RunCheckpointer(store, true, parts.limits, parts.clock).turn(outsideARun, 1, List.of(), List.of(), Map.of(), null, true);

        assertThat(store.list("run-1")).isEmpty();
    }

    @Test
    void aStoreThatFailsStopsTheCallNamingTheStepAndRun() {
        CheckpointStore failing = new CheckpointStore() {
            @Override
            public void save(Checkpoint checkpoint) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public Optional<Checkpoint> find(String workflowId, int step) {
                return Optional.empty();
            }

            @Override
            public Optional<Checkpoint> latest(String workflowId) {
                return Optional.empty();
            }

            @Override
            public List<Checkpoint> list(String workflowId) {
                return List.of();
            }

            @Override
            public void delete(String workflowId) {
            }

            @Override
            public void clear() {
            }
        };
        RunCheckpointer checkpointer = new RunCheckpointer(failing, true, parts.limits, parts.clock);

        assertThatThrownBy(() -> checkpointer.afterCall(Parts.call(), answered())).isInstanceOf(CheckpointException.class)
                .hasMessage("Could not save checkpoint 1 of workflow 'run-1'");
    }
}
