package dev.agentgateway.core.checkpoint;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.state.SharedState;
import dev.agentgateway.core.testsupport.MutableClock;
import dev.agentgateway.core.tools.ToolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Scenarios 48-50: checkpoints, and resuming a tool-calling run after a crash. */
class CheckpointTest {

    private static final ToolSpec FETCH = ToolSpec.of("fetch", "fetches a page by id",
            Map.of("type", "object", "properties", Map.of("id", Map.of("type", "integer")), "required", List.of("id")));

    private final MutableClock clock = MutableClock.create();
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.clock(clock).build();
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayCall.Builder plainCall(String workflowId, Integer step) {
        return GatewayCall.builder().agentId("planner").provider("mock").model("mock-model").user("plan step " + step)
                .workflowId(workflowId).step(step);
    }

    // ---- 48 ---------------------------------------------------------------------------------

    @Test
    void callWithWorkflowStepAndStateCreatesACheckpointHoldingStateAndMetrics() { // scenario 48
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true)
                .provider("mock", MockLlmClient.builder().costPerCall("0.01").build()));
        SharedState state = new SharedState(Map.of("research", Map.of("topic", "agents")));

        gateway.call(plainCall("wf-1", 1).state(state).build());

        Checkpoint checkpoint = gateway.getCheckpoint("wf-1", 1);
        assertThat(checkpoint.workflowId()).isEqualTo("wf-1");
        assertThat(checkpoint.step()).isEqualTo(1);
        assertThat(checkpoint.agentId()).isEqualTo("planner");
        assertThat(checkpoint.timestamp()).isEqualTo(clock.instant());
        assertThat(checkpoint.state()).isEqualTo(Map.of("research", Map.of("topic", "agents")));
        assertThat(checkpoint.metrics()).contains(entry("total_steps", 1L), entry("call_count", 1L));
        assertThat(checkpoint.metrics().get("total_cost")).isEqualTo(new java.math.BigDecimal("0.01"));
        assertThat(checkpoint.messages()).containsExactly(LlmMessage.user("plan step 1"),
                LlmMessage.assistant(MockLlmClient.DEFAULT_RESPONSE, List.of()));
    }

    @Test
    void checkpointByStepAndLatestWithoutStep() { // scenario 48
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        gateway.call(plainCall("wf-1", 1).state(Map.of("n", 1)).build());
        gateway.call(plainCall("wf-1", 2).state(Map.of("n", 2)).build());

        assertThat(gateway.getCheckpoint("wf-1", 1).state()).isEqualTo(Map.of("n", 1));
        assertThat(gateway.getCheckpoint("wf-1", null).step()).isEqualTo(2);
        assertThat(gateway.getCheckpoint("wf-1", null).state()).isEqualTo(Map.of("n", 2));
        assertThat(gateway.getCheckpoint("wf-1", 1).metrics().get("total_steps")).isEqualTo(1L);
        assertThat(gateway.getCheckpoint("wf-1", 2).metrics().get("total_steps")).isEqualTo(2L);
        assertThat(gateway.getCheckpoints("wf-1")).extracting(Checkpoint::step).containsExactly(1, 2);
        assertThat(gateway.getCheckpoint("wf-1", 3)).isNull();
        assertThat(gateway.getCheckpoint("other", null)).isNull();
    }

    @Test
    void checkpointStateDoesNotChangeWhenTheSharedStateChangesLater() { // scenario 48
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        SharedState state = new SharedState(Map.of("topic", "agents"));
        gateway.call(plainCall("wf-1", 1).state(state).build());

        state.set("topic", "something else");

        assertThat(gateway.getCheckpoint("wf-1", 1).state()).isEqualTo(Map.of("topic", "agents"));
    }

    @Test
    void checkpointStateDoesNotChangeWhenANestedMapStateChangesLater() { // scenario 48
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        Map<String, Object> research = new HashMap<>(Map.of("topic", "agents"));
        Map<String, Object> state = new HashMap<>(Map.of("research", research));
        gateway.call(plainCall("wf-1", 1).state(state).build());

        research.put("topic", "something else");
        state.put("added", true);

        assertThat(gateway.getCheckpoint("wf-1", 1).state()).isEqualTo(Map.of("research", Map.of("topic", "agents")));
    }

    @Test
    void stepDefaultsToThePositionOfTheCallInItsRun() { // scenario 48
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        gateway.call(plainCall("wf-1", null).build());
        gateway.call(plainCall("wf-1", null).build());

        assertThat(gateway.getCheckpoints("wf-1")).extracting(Checkpoint::step).containsExactly(1, 2);
    }

    @Test
    void callWithoutWorkflowIdCreatesNoCheckpoint() { // scenario 48
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).checkpointStore(store)
                .provider("mock", MockLlmClient.create()));

        gateway.call(plainCall(null, 1).build());

        assertThat(gateway.getCheckpoint(null, null)).isNull();
    }

    // ---- 49 ---------------------------------------------------------------------------------

    @Test
    void withCheckpointingOffNoCheckpointIsStored() { // scenario 49
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Gateway gateway = gateway(Gateway.builder().checkpointStore(store).provider("mock", MockLlmClient.create()));

        gateway.call(plainCall("wf-1", 1).state(Map.of("n", 1)).build());

        assertThat(gateway.isCheckpointEnabled()).isFalse();
        assertThat(gateway.getCheckpoint("wf-1", 1)).isNull();
        assertThat(gateway.getCheckpoint("wf-1", null)).isNull();
        assertThat(store.list("wf-1")).isEmpty();
    }

    @Test
    void withCheckpointingOffAToolRunStoresNoCheckpointAndCannotBeResumed() { // scenario 49
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        Gateway gateway = gateway(Gateway.builder().checkpointStore(store).provider("model", researchModel()));

        gateway.callWithTools(research("wf-off"), (name, args) -> "page");

        assertThat(store.list("wf-off")).isEmpty();
        assertThatThrownBy(() -> gateway.resume("wf-off", (name, args) -> "page"))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("No checkpoint");
    }

    // ---- 50 ---------------------------------------------------------------------------------

    /**
     * Turn 1 fetches page 1; turn 2 fetches pages 2 and 3 at once; then the model answers. The script
     * reads the conversation, so the same model can continue a resumed run.
     */
    private static ScriptedLlmClient researchModel() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(0), ScriptedTurn.toolCall("fetch", "{\"id\":1}"))
                .when(ScriptedLlmClient.toolResultCount(1),
                        ScriptedTurn.toolCall("fetch", "{\"id\":2}").andToolCall("fetch", "{\"id\":3}"))
                .when(ScriptedLlmClient.toolResultCount(3), request -> ScriptedTurn.text("summary of "
                        + request.messages().stream().filter(m -> m.role() == LlmMessage.Role.TOOL)
                        .map(LlmMessage::content).toList()))
                .build();
    }

    private static GatewayCall research(String workflowId) {
        return GatewayCall.builder().agentId("researcher").provider("model").model("gpt-4o-mini")
                .user("research agents").tool(FETCH).workflowId(workflowId).build();
    }

    /** Counts the finished executions of each page id. */
    private static final class Fetcher implements ToolExecutor {
        final Map<Integer, AtomicInteger> completed = new ConcurrentHashMap<>();

        @Override
        public Object execute(String toolName, Map<String, Object> arguments) {
            int id = ((Number) arguments.get("id")).intValue();
            completed.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            return "page " + id;
        }

        int completions(int id) {
            AtomicInteger count = completed.get(id);
            return count == null ? 0 : count.get();
        }
    }

    /** Thrown by a tool to simulate the process dying in the middle of a tool turn. */
    private static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("the JVM died");
        }
    }

    @Test
    void runInterruptedAfterItsSecondToolTurnResumesWithoutRunningFinishedToolsAgain() { // scenario 50
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        ScriptedLlmClient model = researchModel();
        AtomicInteger calls = new AtomicInteger();
        LlmClient diesOnThirdCall = request -> {
            if (calls.incrementAndGet() == 3) {
                throw new ProviderServerException("model", 503, "provider went away", null);
            }
            return model.complete(request);
        };
        Fetcher fetcher = new Fetcher();
        Gateway first = gateway(Gateway.builder().checkpointEnabled(true).checkpointStore(store).provider("model", diesOnThirdCall));

        assertThatThrownBy(() -> first.callWithTools(research("wf-50"), fetcher)).isInstanceOf(ProviderException.class);
        assertThat(fetcher.completed).containsOnlyKeys(1, 2, 3);

        // a new gateway (a restarted process) sharing the checkpoint store, with a working provider
        Gateway restarted = gateway(Gateway.builder().checkpointEnabled(true).checkpointStore(store).provider("model", model));
        ResumePoint point = restarted.getResumePoint("wf-50");
        assertThat(point.step()).isEqualTo(2);
        assertThat(point.iteration()).isEqualTo(2);
        assertThat(point.pendingToolCallIds()).isEmpty();
        assertThat(point.finished()).isFalse();

        LlmResponse response = restarted.resume("wf-50", fetcher);

        assertThat(response.content()).isEqualTo("summary of [page 1, page 2, page 3]");
        assertThat(fetcher.completions(1)).isEqualTo(1);
        assertThat(fetcher.completions(2)).isEqualTo(1);
        assertThat(fetcher.completions(3)).isEqualTo(1);
        assertThat(model.requestCount()).isEqualTo(3);
        assertThat(restarted.getCheckpoint("wf-50", null).finished()).isTrue();
    }

    @Test
    void runCrashedInsideATurnResumesWithOnlyTheUnfinishedToolCall() { // scenario 50
        ScriptedLlmClient model = researchModel();
        AtomicBoolean crash = new AtomicBoolean(true);
        Fetcher fetcher = new Fetcher();
        ToolExecutor crashingOnPage3 = (name, args) -> {
            if (((Number) args.get("id")).intValue() == 3 && crash.getAndSet(false)) {
                throw new SimulatedCrash();
            }
            return fetcher.execute(name, args);
        };
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("model", model));

        assertThatThrownBy(() -> gateway.callWithTools(research("wf-crash"), crashingOnPage3)).isInstanceOf(SimulatedCrash.class);

        ResumePoint point = gateway.getResumePoint("wf-crash");
        assertThat(point.step()).isEqualTo(2);
        assertThat(point.completedToolCallIds()).containsExactly("call_2");
        assertThat(point.pendingToolCallIds()).containsExactly("call_3");

        LlmResponse response = gateway.resume("wf-crash", crashingOnPage3);

        assertThat(response.content()).isEqualTo("summary of [page 1, page 2, page 3]");
        assertThat(fetcher.completions(1)).isEqualTo(1);
        assertThat(fetcher.completions(2)).isEqualTo(1);
        assertThat(fetcher.completions(3)).isEqualTo(1);
        assertThat(model.requestCount()).isEqualTo(3);
        assertThat(model.requests().get(2).messages()).extracting(LlmMessage::toolCallId)
                .containsExactly(null, null, "call_1", null, "call_2", "call_3");
    }

    @Test
    void resumedRunKeepsTheStateOfItsCheckpoint() { // scenario 50
        AtomicBoolean crash = new AtomicBoolean(true);
        Fetcher fetcher = new Fetcher();
        ToolExecutor crashingOnce = (name, args) -> {
            if (crash.getAndSet(false)) {
                throw new SimulatedCrash();
            }
            return fetcher.execute(name, args);
        };
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("model", researchModel()));
        GatewayCall withState = research("wf-state").toBuilder().state(Map.of("topic", "agents")).build();
        assertThatThrownBy(() -> gateway.callWithTools(withState, crashingOnce)).isInstanceOf(SimulatedCrash.class);

        gateway.resume("wf-state", crashingOnce);

        assertThat(gateway.getCheckpoint("wf-state", null).state()).isEqualTo(Map.of("topic", "agents"));
        assertThat(gateway.getCheckpoint("wf-state", null).finished()).isTrue();
    }

    @Test
    void resumedRunWithoutStateIsNotMistakenForANoStateChangeLoop() { // scenario 50 (+ loop detection)
        ScriptedLlmClient model = researchModel();
        AtomicInteger calls = new AtomicInteger();
        LlmClient diesOnSecondCall = request -> {
            if (calls.incrementAndGet() == 2) {
                throw new ProviderServerException("model", 503, "provider went away", null);
            }
            return model.complete(request);
        };
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        LoopDetectionConfig strict = LoopDetectionConfig.builder().maxNoStateChange(2).build();
        Gateway first = gateway(Gateway.builder().checkpointEnabled(true).checkpointStore(store).loopDetection(strict)
                .provider("model", diesOnSecondCall));
        assertThatThrownBy(() -> first.callWithTools(research("wf-nostate"), new Fetcher())).isInstanceOf(ProviderException.class);
        Gateway restarted = gateway(Gateway.builder().checkpointEnabled(true).checkpointStore(store).loopDetection(strict)
                .provider("model", model));

        LlmResponse response = restarted.resume("wf-nostate", new Fetcher());

        assertThat(response.content()).isEqualTo("summary of [page 1, page 2, page 3]");
        assertThat(restarted.loopsDetected()).isZero();
    }

    @Test
    void resumeWithoutAToolExecutorIsRejected() { // scenario 50
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("model", researchModel()));
        AtomicBoolean crash = new AtomicBoolean(true);
        Fetcher fetcher = new Fetcher();
        assertThatThrownBy(() -> gateway.callWithTools(research("wf-null"), (name, args) -> {
            if (crash.getAndSet(false)) {
                throw new SimulatedCrash();
            }
            return fetcher.execute(name, args);
        })).isInstanceOf(SimulatedCrash.class);

        assertThatThrownBy(() -> gateway.resume("wf-null", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("toolExecutor");
        assertThat(gateway.getResumePoint("wf-null").pendingToolCallIds()).containsExactly("call_1");
    }

    @Test
    void finishedRunCannotBeResumed() { // scenario 50
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("model", researchModel()));
        gateway.callWithTools(research("wf-done"), new Fetcher());

        assertThatThrownBy(() -> gateway.resume("wf-done", new Fetcher()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("already finished");
    }

    @Test
    void plainCallCheckpointCannotBeResumed() { // scenario 50
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("mock", MockLlmClient.create()));
        gateway.call(plainCall("wf-plain", 1).build());

        assertThatThrownBy(() -> gateway.resume("wf-plain", new Fetcher()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("not from a tool-calling run");
    }

    // ---- the store --------------------------------------------------------------------------

    @Test
    void storeKeepsAtMostItsMaximumOfWorkflowsDroppingTheLeastRecentlyUsed() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore(2);
        store.save(checkpoint("a", 1));
        store.save(checkpoint("b", 1));
        store.latest("a");
        store.save(checkpoint("c", 1));

        assertThat(store.latest("a")).isPresent();
        assertThat(store.latest("b")).isEmpty();
        assertThat(store.latest("c")).isPresent();
    }

    @Test
    void laterSaveOfTheSameStepReplacesTheEarlierOne() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        store.save(checkpoint("a", 1));
        store.save(new Checkpoint("a", 1, "agent", null, Map.of("v", 2), null, null, null, null, null, false));

        assertThat(store.list("a")).singleElement().extracting(Checkpoint::state).isEqualTo(Map.of("v", 2));
    }

    private static Checkpoint checkpoint(String workflowId, int step) {
        return new Checkpoint(workflowId, step, "agent", null, Map.of(), null, null, null, null, null, false);
    }
}
