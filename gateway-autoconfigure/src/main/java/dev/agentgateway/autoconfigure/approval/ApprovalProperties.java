package dev.agentgateway.autoconfigure.approval;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Durable approvals, under {@code agent-gateway.approvals}: how long a person has to decide.
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

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
