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

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One call of the history (table {@code agw_call}), with every field of a {@code CallRecord}:
 * request and response as JSON, the rest in columns.
 */
@Entity(name = "AgwCallRecord")
@Table(name = "agw_call", indexes = {
        @Index(name = "agw_call_created_idx", columnList = "created_at"),
        @Index(name = "agw_call_agent_idx", columnList = "agent_id, created_at"),
        @Index(name = "agw_call_workflow_idx", columnList = "workflow_id, created_at"),
        @Index(name = "agw_call_tenant_idx", columnList = "tenant, created_at")})
public class CallRecordEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "agw_call_seq")
    @SequenceGenerator(name = "agw_call_seq", sequenceName = "agw_call_seq", allocationSize = 50)
    private Long id;

    @Column(name = "call_id", length = 128)
    private String callId;

    @Column(name = "agent_id", nullable = false)
    private String agentId;

    @Column(name = "provider", length = 128)
    private String provider;

    @Column(name = "model")
    private String model;

    @Column(name = "workflow_id")
    private String workflowId;

    @Column(name = "step")
    private Integer step;

    @Column(name = "tenant")
    private String tenant;

    @Column(name = "created_at", nullable = false)
    private Instant timestamp;

    @Column(name = "success", nullable = false)
    private boolean success;

    @Column(name = "error")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String error;

    @Column(name = "error_type")
    private String errorType;

    @Column(name = "cost", nullable = false, precision = 30, scale = 12)
    private BigDecimal cost;

    @Column(name = "priced", nullable = false)
    private boolean priced;

    @Column(name = "latency_ms", nullable = false)
    private double latencyMs;

    @Column(name = "input_tokens", nullable = false)
    private long inputTokens;

    @Column(name = "output_tokens", nullable = false)
    private long outputTokens;

    @Column(name = "attempt", nullable = false)
    private int attempt;

    @Column(name = "refused_by")
    private String refusedBy;

    @Column(name = "overrun", nullable = false, precision = 30, scale = 12)
    private BigDecimal overrun;

    @Column(name = "request_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String requestJson;

    @Column(name = "response_json")
    @JdbcTypeCode(SqlTypes.LONG32VARCHAR)
    private String responseJson;

    protected CallRecordEntity() {
    }

    public CallRecordEntity(String callId, String agentId, String provider, String model, String workflowId, Integer step,
                            String tenant, Instant timestamp, boolean success, String error, String errorType, BigDecimal cost,
                            boolean priced, double latencyMs, long inputTokens, long outputTokens, int attempt,
                            String refusedBy, BigDecimal overrun, String requestJson, String responseJson) {
        this.callId = callId;
        this.agentId = agentId;
        this.provider = provider;
        this.model = model;
        this.workflowId = workflowId;
        this.step = step;
        this.tenant = tenant;
        this.timestamp = timestamp;
        this.success = success;
        this.error = error;
        this.errorType = errorType;
        this.cost = cost;
        this.priced = priced;
        this.latencyMs = latencyMs;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.attempt = attempt;
        this.refusedBy = refusedBy;
        this.overrun = overrun;
        this.requestJson = requestJson;
        this.responseJson = responseJson;
    }

    public Long getId() {
        return id;
    }

    public String getCallId() {
        return callId;
    }

    public String getAgentId() {
        return agentId;
    }

    public String getProvider() {
        return provider;
    }

    public String getModel() {
        return model;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    public Integer getStep() {
        return step;
    }

    public String getTenant() {
        return tenant;
    }

    public Instant getTimestamp() {
        return timestamp;
    }

    public boolean isSuccess() {
        return success;
    }

    public String getError() {
        return error;
    }

    public String getErrorType() {
        return errorType;
    }

    public BigDecimal getCost() {
        return cost;
    }

    public boolean isPriced() {
        return priced;
    }

    public double getLatencyMs() {
        return latencyMs;
    }

    public long getInputTokens() {
        return inputTokens;
    }

    public long getOutputTokens() {
        return outputTokens;
    }

    public int getAttempt() {
        return attempt;
    }

    public String getRefusedBy() {
        return refusedBy;
    }

    public BigDecimal getOverrun() {
        return overrun;
    }

    public String getRequestJson() {
        return requestJson;
    }

    public String getResponseJson() {
        return responseJson;
    }
}
