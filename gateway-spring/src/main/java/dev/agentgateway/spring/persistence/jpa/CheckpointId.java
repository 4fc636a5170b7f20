package dev.agentgateway.spring.persistence.jpa;

import java.io.Serializable;
import java.util.Objects;

/** The key of a {@link CheckpointEntity}: workflow and step. */
public class CheckpointId implements Serializable {

    private String workflowId;
    private int step;

    protected CheckpointId() {
    }

    public CheckpointId(String workflowId, int step) {
        this.workflowId = workflowId;
        this.step = step;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    public int getStep() {
        return step;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CheckpointId id && step == id.step && Objects.equals(workflowId, id.workflowId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workflowId, step);
    }
}
