package dev.agentgateway.core.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checkpoints in memory, for one JVM. Holds at most {@code maxWorkflows} workflows, dropping the
 * least recently used, so a long-running server does not grow without bound.
 */
public final class InMemoryCheckpointStore implements CheckpointStore {

    public static final int DEFAULT_MAX_WORKFLOWS = 10_000;

    private final Map<String, TreeMap<Integer, Checkpoint>> byWorkflow;

    public InMemoryCheckpointStore() {
        this(DEFAULT_MAX_WORKFLOWS);
    }

    public InMemoryCheckpointStore(int maxWorkflows) {
        this.byWorkflow = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TreeMap<Integer, Checkpoint>> eldest) {
                return size() > maxWorkflows;
            }
        };
    }

    @Override
    public synchronized void save(Checkpoint checkpoint) {
        byWorkflow.computeIfAbsent(checkpoint.workflowId(), id -> new TreeMap<>()).put(checkpoint.step(), checkpoint);
    }

    @Override
    public synchronized Optional<Checkpoint> find(String workflowId, int step) {
        TreeMap<Integer, Checkpoint> steps = byWorkflow.get(workflowId);
        return Optional.ofNullable(steps == null ? null : steps.get(step));
    }

    @Override
    public synchronized Optional<Checkpoint> latest(String workflowId) {
        TreeMap<Integer, Checkpoint> steps = byWorkflow.get(workflowId);
        return Optional.ofNullable(steps == null || steps.isEmpty() ? null : steps.lastEntry().getValue());
    }

    @Override
    public synchronized List<Checkpoint> list(String workflowId) {
        TreeMap<Integer, Checkpoint> steps = byWorkflow.get(workflowId);
        return steps == null ? List.of() : new ArrayList<>(steps.values());
    }

    @Override
    public synchronized void delete(String workflowId) {
        byWorkflow.remove(workflowId);
    }

    @Override
    public synchronized void clear() {
        byWorkflow.clear();
    }
}
