package dev.agentgateway.core.checkpoint;

import java.util.List;
import java.util.Optional;

/** Where checkpoints are kept. A later save for the same workflow and step replaces the earlier one. */
public interface CheckpointStore {

    void save(Checkpoint checkpoint);

    Optional<Checkpoint> find(String workflowId, int step);

    /** The checkpoint with the highest step, taken last among equals. */
    Optional<Checkpoint> latest(String workflowId);

    /** All checkpoints of a workflow, by step. */
    List<Checkpoint> list(String workflowId);

    void delete(String workflowId);

    void clear();
}
