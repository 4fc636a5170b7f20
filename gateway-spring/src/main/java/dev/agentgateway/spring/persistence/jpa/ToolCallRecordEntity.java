package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One tool call of the history (table {@code agw_tool_call}). */
@Entity(name = "AgwToolCallRecord")
@Table(name = "agw_tool_call", indexes = {
        @Index(name = "agw_tool_call_created_idx", columnList = "created_at"),
        @Index(name = "agw_tool_call_agent_idx", columnList = "agent_id, created_at"),
        @Index(name = "agw_tool_call_workflow_idx", columnList = "workflow_id, created_at"),
        @Index(name = "agw_tool_call_tenant_idx", columnList = "tenant, created_at")})
public class ToolCallRecordEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "agw_tool_call_seq")
    @SequenceGenerator(name = "agw_tool_call_seq", sequenceName = "agw_tool_call_seq", allocationSize = 50)
    private Long id;

    @Column(name = "created_at", nullable = false)
    private Instant timestamp;

    @Column(name = "agent_id", nullable = false)
    private String agentId;

    @Column(name = "workflow_id")
    private String workflowId;

    @Column(name = "tenant")
    private String tenant;

    @Column(name = "tool_call_id")
    private String toolCallId;

    @Column(name = "tool_name", nullable = false)
    private String toolName;

    @Column(name = "arguments")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String arguments;

    @Column(name = "outcome", nullable = false, length = 32)
    private String outcome;

    @Column(name = "success", nullable = false)
    private boolean success;

    @Column(name = "result")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String result;

    @Column(name = "duration_ms", nullable = false)
    private long durationMs;

    protected ToolCallRecordEntity() {
    }

    public ToolCallRecordEntity(Instant timestamp, String agentId, String workflowId, String tenant, String toolCallId,
                                String toolName, String arguments, String outcome, boolean success, String result,
                                long durationMs) {
        this.timestamp = timestamp;
        this.agentId = agentId;
        this.workflowId = workflowId;
        this.tenant = tenant;
        this.toolCallId = toolCallId;
        this.toolName = toolName;
        this.arguments = arguments;
        this.outcome = outcome;
        this.success = success;
        this.result = result;
        this.durationMs = durationMs;
    }

    public Long getId() {
        return id;
    }

    public Instant getTimestamp() {
        return timestamp;
    }

    public String getAgentId() {
        return agentId;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    public String getTenant() {
        return tenant;
    }

    public String getToolCallId() {
        return toolCallId;
    }

    public String getToolName() {
        return toolName;
    }

    public String getArguments() {
        return arguments;
    }

    public String getOutcome() {
        return outcome;
    }

    public boolean isSuccess() {
        return success;
    }

    public String getResult() {
        return result;
    }

    public long getDurationMs() {
        return durationMs;
    }
}
