package dev.agentgateway.core.loop.internal;

import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.provider.ToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the last {@code windowSize} calls of each run. Runs are held in an LRU map so a server
 * that sees millions of workflow ids keeps a bounded amount of loop state.
 */
public final class WindowedLoopDetector implements LoopDetector {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private record Entry(String agentId, String output, Integer stateHash) {
    }

    private static final class Run {
        final ArrayDeque<Entry> window = new ArrayDeque<>();
        final Map<String, Object> lastToolCall = new LinkedHashMap<>();
        final Map<String, Integer> toolCallStreak = new LinkedHashMap<>();
    }

    /** A run's identity: its workflow, or the agent when the call is in no workflow. */
    private record RunKey(String workflowId, String agentId) {
    }

    /**
     * Runs live in up to {@value #MAX_STRIPES} stripes, each an LRU map under its own lock, so calls
     * of different runs rarely wait for each other (one map under one lock made every call of the
     * gateway queue behind every other). Stripes are used only when each can hold at least
     * {@value #MIN_RUNS_PER_STRIPE} runs: the bound on runs is exact, and the order is least
     * recently used within a stripe.
     */
    private static final int MAX_STRIPES = 16;
    private static final int MIN_RUNS_PER_STRIPE = 1024;

    private final LoopDetectionConfig config;
    private final Map<RunKey, Run>[] stripes;
    private final LongAdder detected = new LongAdder();

    @SuppressWarnings("unchecked")
    public WindowedLoopDetector(LoopDetectionConfig config, int maxRuns) {
        this.config = Objects.requireNonNull(config, "config");
        int count = 1;
        while (count < MAX_STRIPES && maxRuns / (count * 2L) >= MIN_RUNS_PER_STRIPE) {
            count *= 2;
        }
        stripes = new Map[count];
        for (int i = 0; i < count; i++) {
            int capacity = maxRuns / count + (i < maxRuns % count ? 1 : 0);
            stripes[i] = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<RunKey, Run> eldest) {
                    return size() > capacity;
                }
            };
        }
    }

    @Override
    public void record(String workflowId, String agentId, String output, Integer stateHash, List<ToolCall> toolCalls) {
        RunKey key = runKey(workflowId, agentId);
        Map<RunKey, Run> stripe = stripeOf(key);
        Run run;
        synchronized (stripe) {
            run = stripe.get(key);
            if (run == null) {
                run = new Run();
                stripe.put(key, run);
            }
        }
        synchronized (run) {
            Entry entry = new Entry(agentId, output == null || output.isBlank() ? null : output, stateHash);
            run.window.addLast(entry);
            if (run.window.size() > config.windowSize()) {
                run.window.removeFirst();
            }
            try {
                checkRepeatedTool(run, workflowId, agentId, toolCalls);
                checkIdenticalOutput(run, workflowId, entry);
                checkNoStateChange(run, workflowId, entry);
                checkPingPong(run, workflowId);
            } catch (LoopDetectedException e) {
                detected.increment();
                throw e;
            }
        }
    }

    @Override
    public void forget(String workflowId, String agentId) {
        RunKey key = runKey(workflowId, agentId);
        Map<RunKey, Run> stripe = stripeOf(key);
        synchronized (stripe) {
            stripe.remove(key);
        }
    }

    @Override
    public void reset() {
        for (Map<RunKey, Run> stripe : stripes) {
            synchronized (stripe) {
                stripe.clear();
            }
        }
        detected.reset();
    }

    @Override
    public long detectedCount() {
        return detected.sum();
    }

    private Map<RunKey, Run> stripeOf(RunKey key) {
        int h = key.hashCode();
        return stripes[((h ^ (h >>> 16)) & 0x7fffffff) % stripes.length];
    }

    private static RunKey runKey(String workflowId, String agentId) {
        return workflowId != null ? new RunKey(workflowId, null) : new RunKey(null, agentId);
    }

    private void checkIdenticalOutput(Run run, String workflowId, Entry latest) {
        if (latest.output() == null) {
            return;
        }
        int streak = 0;
        for (Iterator<Entry> it = run.window.descendingIterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (!entry.agentId().equals(latest.agentId()) || !latest.output().equals(entry.output())) {
                break;
            }
            streak++;
        }
        if (streak >= config.maxRepeatedOutputs()) {
            throw new LoopDetectedException(LoopPattern.IDENTICAL_OUTPUT, List.of(latest.agentId()), workflowId, streak,
                    "the same output " + streak + " times in a row");
        }
    }

    private void checkNoStateChange(Run run, String workflowId, Entry latest) {
        if (latest.stateHash() == null) {
            return;
        }
        int streak = 0;
        for (Iterator<Entry> it = run.window.descendingIterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.stateHash() == null) {
                continue;
            }
            if (!entry.stateHash().equals(latest.stateHash())) {
                break;
            }
            streak++;
        }
        if (streak >= config.maxNoStateChange()) {
            throw new LoopDetectedException(LoopPattern.NO_STATE_CHANGE, List.of(latest.agentId()), workflowId, streak,
                    "the state did not change over " + streak + " calls");
        }
    }

    /**
     * Two agents strictly alternating over the last {@code 2 × maxPingPong} calls, while the state
     * (or, without state, the output) takes at most two values: they are handing the same work
     * back and forth.
     */
    private void checkPingPong(Run run, String workflowId) {
        int span = 2 * config.maxPingPong();
        if (run.window.size() < span) {
            return;
        }
        Iterator<Entry> newest = run.window.descendingIterator();
        if (newest.next().agentId().equals(newest.next().agentId())) {
            return; // the same agent twice in a row: no alternation, and nothing to allocate for it
        }
        Entry[] recent = new Entry[span];
        Iterator<Entry> it = run.window.descendingIterator();
        for (int i = span - 1; i >= 0; i--) {
            recent[i] = it.next();
        }
        String a = recent[0].agentId();
        String b = recent[1].agentId();
        if (a.equals(b)) {
            return;
        }
        Set<Object> states = new HashSet<>();
        Set<Object> outputs = new HashSet<>();
        boolean anyState = false;
        for (int i = 0; i < span; i++) {
            if (!recent[i].agentId().equals(i % 2 == 0 ? a : b)) {
                return;
            }
            if (recent[i].stateHash() != null) {
                anyState = true;
                states.add(recent[i].stateHash());
            }
            outputs.add(String.valueOf(recent[i].output()));
        }
        if ((anyState ? states.size() : outputs.size()) <= 2) {
            throw new LoopDetectedException(LoopPattern.PING_PONG, List.of(a, b), workflowId, config.maxPingPong(),
                    "the agents handed the work back and forth " + config.maxPingPong() + " times without progress");
        }
    }

    private void checkRepeatedTool(Run run, String workflowId, String agentId, List<ToolCall> toolCalls) {
        if (toolCalls.isEmpty()) {
            // an answer without tool calls ends the streak: the next identical call is no longer "in a row"
            run.lastToolCall.remove(agentId);
            run.toolCallStreak.remove(agentId);
            return;
        }
        for (ToolCall call : toolCalls) {
            Object signature = List.of(call.name(), canonical(call.arguments()));
            int streak = signature.equals(run.lastToolCall.get(agentId)) ? run.toolCallStreak.get(agentId) + 1 : 1;
            run.lastToolCall.put(agentId, signature);
            run.toolCallStreak.put(agentId, streak);
            if (streak >= config.maxRepeatedOutputs()) {
                throw new LoopDetectedException(LoopPattern.REPEATED_TOOL_CALL, List.of(agentId), workflowId, streak,
                        "repeatedly calling tool '" + call.name() + "' with the same arguments (" + streak + " times in a row)");
            }
        }
    }

    /** Arguments compared as JSON values, so key order and spacing do not hide a repetition. */
    private static Object canonical(String arguments) {
        try {
            return JSON.readTree(arguments);
        } catch (JacksonException e) {
            return arguments.strip();
        }
    }
}
