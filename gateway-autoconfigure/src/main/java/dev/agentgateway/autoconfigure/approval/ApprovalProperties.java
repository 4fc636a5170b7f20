package dev.agentgateway.autoconfigure.approval;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Durable approvals, under {@code agent-gateway.approvals}: how long a person has to decide, and
 * how paused runs are resumed.
 */
@ConfigurationProperties(prefix = "agent-gateway.approvals")
@Validated
public class ApprovalProperties {

    /**
     * How long an approval waits for a decision. After it the approval is rejected as expired
     * (the tool does not run, and the model reads why).
     */
    @NotNull
    private Duration timeout = Duration.ofHours(24);

    /**
     * This instance as it claims paused runs to resume them (shown as {@code claimedBy}); a random
     * id when not set.
     */
    private String instanceId;

    /**
     * How long a claim on a paused run stands before another instance may take it over (its
     * instance died while running the approved tools). When set, it must exceed
     * {@code agent-gateway.tool-execution.timeout}; unset, it is 5 minutes or twice the tool
     * time-out, whichever is longer.
     */
    private Duration claimTimeout;

    /**
     * How often overdue approvals are rejected (resuming their runs) and runs left claimed by a
     * dead instance are taken over; {@code 0} turns the sweep off.
     */
    @NotNull
    private Duration pollInterval = Duration.ofSeconds(30);

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Duration getClaimTimeout() {
        return claimTimeout;
    }

    public void setClaimTimeout(Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
