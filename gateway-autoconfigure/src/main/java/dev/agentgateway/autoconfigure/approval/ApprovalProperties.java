package dev.agentgateway.autoconfigure.approval;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Durable approvals, under {@code agent-gateway.approvals}: how long a person has to decide, and
 * how instances share the work of resuming decided runs.
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
     * How often each instance looks for approvals past their time-out and for decided runs that
     * nobody resumed (decided on an instance that stopped before resuming them).
     */
    @NotNull
    private Duration pollInterval = Duration.ofSeconds(10);

    /**
     * How long an instance may take to resume a run it claimed before another instance takes the
     * run over (its instance is taken to have died). Longer than the longest tool turn.
     */
    @NotNull
    private Duration claimTimeout = Duration.ofMinutes(10);

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getClaimTimeout() {
        return claimTimeout;
    }

    public void setClaimTimeout(Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
    }
}
