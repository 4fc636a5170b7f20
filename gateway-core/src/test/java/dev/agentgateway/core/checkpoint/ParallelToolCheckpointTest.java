package dev.agentgateway.core.checkpoint;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A finished tool never runs twice: each tool call of a parallel turn is checkpointed the moment it
 * finishes, so a crash while other tools of the turn still run loses none of the finished ones,
 * whatever order they finish in.
 */
class ParallelToolCheckpointTest {

    private static final String RUN = "wf-parallel";

    private final List<Gateway> gateways = new ArrayList<>();
    private final List<CountDownLatch> latches = new CopyOnWriteArrayList<>();
    private final ExecutorService caller = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() {
        latches.forEach(CountDownLatch::countDown); // lets the tools of the "crashed" gateway end
        caller.shutdownNow();
        gateways.forEach(Gateway::close);
    }

    /** Asks for tools {@code t0..t(n-1)} in one turn, then answers "done" once it has their n results. */
    private static ScriptedLlmClient model(int tools) {
        ScriptedTurn turn = ScriptedTurn.toolCall("t0", "{}");
        for (int i = 1; i < tools; i++) {
            turn = turn.andToolCall("t" + i, "{}");
        }
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(tools), ScriptedTurn.text("done"))
                .otherwise(turn)
                .build();
    }

    private static GatewayCall call(int tools) {
        GatewayCall.Builder builder = GatewayCall.builder().agentId("mailer").provider("model").model("m").user("send them")
                .workflowId(RUN);
        for (int i = 0; i < tools; i++) {
            builder.tool(ToolSpec.of("t" + i, "tool " + i, Map.of("type", "object")));
        }
        return builder.build();
    }

    private Gateway gateway(CheckpointStore store, int tools) {
        Gateway gateway = Gateway.builder().checkpointEnabled(true).checkpointStore(store).provider("model", model(tools))
                .toolTimeout(Duration.ofMinutes(5)).build();
        gateways.add(gateway);
        return gateway;
    }

    /** The tool names whose results the latest checkpoint of the run holds. */
    private static Set<String> checkpointedTools(CheckpointStore store) {
        Optional<Checkpoint> latest = store.latest(RUN);
        if (latest.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (ToolCall call : latest.get().pendingToolCalls()) {
            if (latest.get().completedToolResults().containsKey(call.id())) {
                names.add(call.name());
            }
        }
        return names;
    }

    /** Runs each tool when its latch opens, counting the runs of each tool name. */
    private ToolExecutor latched(Map<String, CountDownLatch> gates, Map<String, AtomicInteger> runs) {
        return (name, arguments) -> {
            CountDownLatch gate = gates.get(name);
            if (gate != null && !gate.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("gate of " + name + " never opened");
            }
            runs.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            return name + " sent";
        };
    }

    private CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        latches.add(latch);
        return latch;
    }

    /** A store that dies with the process: once crashed, nothing more is written to the store it fronts. */
    private static class DyingStore implements CheckpointStore {
        private final CheckpointStore durable;
        private volatile boolean dead;

        DyingStore(CheckpointStore durable) {
            this.durable = durable;
        }

        void die() {
            dead = true;
        }

        @Override
        public void save(Checkpoint checkpoint) {
            if (dead) {
                throw new IllegalStateException("the process is gone");
            }
            durable.save(checkpoint);
        }

        @Override
        public Optional<Checkpoint> find(String workflowId, int step) {
            return durable.find(workflowId, step);
        }

        @Override
        public Optional<Checkpoint> latest(String workflowId) {
            return durable.latest(workflowId);
        }

        @Override
        public List<Checkpoint> list(String workflowId) {
            return durable.list(workflowId);
        }

        @Override
        public void delete(String workflowId) {
            durable.delete(workflowId);
        }

        @Override
        public void clear() {
            durable.clear();
        }
    }

    @Test
    void aToolThatFinishesWhileAnEarlierOneRunsIsCheckpointedAtOnceAndNotRunAgainOnResume() {
        InMemoryCheckpointStore durable = new InMemoryCheckpointStore();
        DyingStore store = new DyingStore(durable);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Gateway first = gateway(store, 2);
        // t0 (slow) is stuck on its latch; t1 (fast) finishes at once
        ToolExecutor tools = latched(Map.of("t0", latch()), runs);
        caller.submit(() -> first.callWithTools(call(2), tools));

        await().atMost(Duration.ofSeconds(30)).until(() -> checkpointedTools(durable).contains("t1"));
        store.die(); // the process dies while t0 still runs

        Gateway restarted = gateway(durable, 2);
        LlmResponse answer = restarted.resume(RUN, latched(Map.of(), runs));

        assertThat(answer.content()).isEqualTo("done");
        assertThat(runs.get("t1")).as("the finished tool is not run again").hasValue(1);
        assertThat(runs.get("t0")).as("the unfinished tool runs once, on resume").hasValue(1);
    }

    @Test
    void whateverOrderParallelToolsFinishInOnlyTheUnfinishedOnesRunOnResume() {
        int tools = 6;
        Random random = new Random(42);
        for (int round = 0; round < 5; round++) {
            InMemoryCheckpointStore durable = new InMemoryCheckpointStore();
            DyingStore store = new DyingStore(durable);
            Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
            Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
            for (int i = 0; i < tools; i++) {
                gates.put("t" + i, latch());
            }
            Gateway first = gateway(store, tools);
            ToolExecutor latchedTools = latched(gates, runs);
            caller.submit(() -> first.callWithTools(call(tools), latchedTools));
            List<String> order = new ArrayList<>(gates.keySet());
            java.util.Collections.shuffle(order, random);
            Set<String> finished = new HashSet<>(order.subList(0, 1 + random.nextInt(tools - 1)));

            for (String name : order) {
                if (finished.contains(name)) {
                    gates.get(name).countDown();
                    await().atMost(Duration.ofSeconds(30)).until(() -> checkpointedTools(durable).contains(name));
                }
            }
            store.die();
            gateway(durable, tools).resume(RUN, latched(Map.of(), runs));

            for (int i = 0; i < tools; i++) {
                assertThat(runs.get("t" + i)).as("round %d: runs of t%d (finished before the crash: %s)", round, i, finished)
                        .hasValue(1);
            }
        }
    }

    @Test
    void toolsFinishingTogetherLoseNoneOfEachOthersResults() {
        int tools = 16;
        List<Checkpoint> saved = new CopyOnWriteArrayList<>();
        InMemoryCheckpointStore durable = new InMemoryCheckpointStore();
        CheckpointStore recording = new DyingStore(durable) {
            @Override
            public void save(Checkpoint checkpoint) {
                saved.add(checkpoint);
                super.save(checkpoint);
            }
        };
        CountDownLatch together = latch();
        Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        for (int i = 0; i < tools; i++) {
            gates.put("t" + i, together);
        }
        Gateway gateway = gateway(recording, tools);
        var run = caller.submit(() -> gateway.callWithTools(call(tools), latched(gates, new ConcurrentHashMap<>())));
        await().atMost(Duration.ofSeconds(30)).until(() -> !saved.isEmpty());

        together.countDown();
        await().atMost(Duration.ofSeconds(30)).until(run::isDone);

        // the checkpoints taken inside the turn only ever grow, and the last of them holds every result
        List<Set<String>> inTurn = saved.stream().filter(checkpoint -> !checkpoint.pendingToolCalls().isEmpty())
                .map(checkpoint -> Set.copyOf(checkpoint.completedToolResults().keySet())).toList();
        for (int i = 1; i < inTurn.size(); i++) {
            assertThat(inTurn.get(i)).containsAll(inTurn.get(i - 1));
        }
        assertThat(inTurn.get(inTurn.size() - 1)).hasSize(tools);
    }
}
