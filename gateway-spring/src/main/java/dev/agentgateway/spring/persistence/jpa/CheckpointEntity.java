package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

import java.time.Instant;

/**
 * One checkpoint of a workflow run (table {@code agw_checkpoint}), one row per workflow and step:
 * a later save of the same step replaces the row. Messages, state, metrics and tool calls are JSON.
 */
@Entity(name = "AgwCheckpoint")
@Table(name = "agw_checkpoint")
@IdClass(CheckpointId.class)
public class CheckpointEntity implements Persistable<CheckpointId> {

    @Id
    @Column(name = "workflow_id", nullable = false)
    private String workflowId;

    @Id
    @Column(name = "step", nullable = false)
    private int step;

    @Column(name = "agent_id")
    private String agentId;

    @Column(name = "created_at", nullable = false)
    private Instant timestamp;

    @Column(name = "finished", nullable = false)
    private boolean finished;

    @Column(name = "resumable", nullable = false)
    private boolean resumable;

    @Column(name = "state_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String stateJson;

    @Column(name = "metrics_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String metricsJson;

    @Column(name = "messages_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String messagesJson;

    @Column(name = "pending_tool_calls_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String pendingToolCallsJson;

    @Column(name = "completed_tool_results_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String completedToolResultsJson;

    @Column(name = "run_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String runJson;

    /** True until stored: a new checkpoint is inserted straight away rather than merged (which would look it up first). */
    @Transient
    private boolean fresh;

    protected CheckpointEntity() {
    }

    public CheckpointEntity(String workflowId, int step) {
        this.workflowId = workflowId;
        this.step = step;
        this.fresh = true;
    }

    @Override
    public CheckpointId getId() {
        return new CheckpointId(workflowId, step);
    }

    @Override
    public boolean isNew() {
        return fresh;
    }

    @PostLoad
    @PostPersist
    void stored() {
        fresh = false;
    }

    /** Replaces everything but the key. */
    public void update(String agentId, Instant timestamp, boolean finished, boolean resumable, String stateJson,
                       String metricsJson, String messagesJson, String pendingToolCallsJson,
                       String completedToolResultsJson, String runJson) {
        this.agentId = agentId;
        this.timestamp = timestamp;
        this.finished = finished;
        this.resumable = resumable;
        this.stateJson = stateJson;
        this.metricsJson = metricsJson;
        this.messagesJson = messagesJson;
        this.pendingToolCallsJson = pendingToolCallsJson;
        this.completedToolResultsJson = completedToolResultsJson;
        this.runJson = runJson;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    public int getStep() {
        return step;
    }

    public String getAgentId() {
        return agentId;
    }

    public Instant getTimestamp() {
        return timestamp;
    }

    public boolean isFinished() {
        return finished;
    }

    public boolean isResumable() {
        return resumable;
    }

    public String getStateJson() {
        return stateJson;
    }

    public String getMetricsJson() {
        return metricsJson;
    }

    public String getMessagesJson() {
        return messagesJson;
    }

    public String getPendingToolCallsJson() {
        return pendingToolCallsJson;
    }

    public String getCompletedToolResultsJson() {
        return completedToolResultsJson;
    }

    public String getRunJson() {
        return runJson;
    }
}
