package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/**
 * One tool call waiting for, or given, a person's approval (table {@code agw_approval}). State and
 * verdict are kept as text and read back by the store, so a value it does not know is read as a
 * rejection rather than failing. Only inserted through JPA; every change is a conditional update
 * of {@link ApprovalRepository}.
 */
@Entity(name = "AgwApproval")
@Table(name = "agw_approval")
public class ApprovalEntity {

    @Id
    @Column(name = "id", nullable = false, length = 64)
    private String id;

    @Column(name = "workflow_id", nullable = false)
    private String workflowId;

    @Column(name = "agent_id")
    private String agentId;

    @Column(name = "tenant")
    private String tenant;

    @Column(name = "tool_call_id", nullable = false)
    private String toolCallId;

    @Column(name = "tool_name", nullable = false)
    private String toolName;

    @Column(name = "arguments")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String arguments;

    @Column(name = "requested_at", nullable = false)
    private Instant requestedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "state", nullable = false, length = 16)
    private String state;

    @Column(name = "verdict", length = 32)
    private String verdict;

    @Column(name = "edited_arguments")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String editedArguments;

    @Column(name = "reason")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String reason;

    @Column(name = "decided_by")
    private String decidedBy;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "claimed_by")
    private String claimedBy;

    @Column(name = "claimed_at")
    private Instant claimedAt;

    protected ApprovalEntity() {
    }

    /** A new pending approval. */
    public ApprovalEntity(String id, String workflowId, String agentId, String tenant, String toolCallId, String toolName,
                          String arguments, Instant requestedAt, Instant expiresAt) {
        this.id = id;
        this.workflowId = workflowId;
        this.agentId = agentId;
        this.tenant = tenant;
        this.toolCallId = toolCallId;
        this.toolName = toolName;
        this.arguments = arguments;
        this.requestedAt = requestedAt;
        this.expiresAt = expiresAt;
        this.state = "PENDING";
    }

    public String getId() {
        return id;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    public String getAgentId() {
        return agentId;
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

    public Instant getRequestedAt() {
        return requestedAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public String getState() {
        return state;
    }

    public String getVerdict() {
        return verdict;
    }

    public String getEditedArguments() {
        return editedArguments;
    }

    public String getReason() {
        return reason;
    }

    public String getDecidedBy() {
        return decidedBy;
    }

    public Instant getDecidedAt() {
        return decidedAt;
    }

    public String getClaimedBy() {
        return claimedBy;
    }

    public Instant getClaimedAt() {
        return claimedAt;
    }
}
