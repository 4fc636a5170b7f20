package dev.agentgateway.autoconfigure.console;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The operator console, under {@code agent-gateway.console}: a page served by the application that
 * shows spend against limits, calls and runs as they happen and, when
 * {@code agent-gateway.actuator.write-enabled=true}, offers live control.
 */
@ConfigurationProperties(prefix = "agent-gateway.console")
@Validated
public class ConsoleProperties {

    /** Whether the console is served. Off by default. */
    private boolean enabled;

    /** Where the console is served, a path starting with "/" and not ending with one. */
    @Pattern(regexp = "/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]", message = "must start with '/' and not end with one")
    private String path = "/agent-gateway";

    /**
     * The role an operator needs to open the console when the application runs Spring Security
     * (without the "ROLE_" prefix); its actions then also need Spring Security's CSRF token. Without
     * Spring Security the console is as reachable as the Actuator endpoints it shows.
     */
    private String role = "AGENT_GATEWAY_OPERATOR";

    /** Browsers that may receive live updates at once; further ones are answered 503 until one leaves. */
    @Positive
    private int maxSubscribers = 16;

    /** How long one live-update connection stays open before the browser reconnects. */
    private Duration subscriptionTimeout = Duration.ofMinutes(5);

    /** Operator actions kept in the console's audit list (the newest ones); each is logged as well. */
    @Positive
    private int auditCapacity = 200;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public int getMaxSubscribers() {
        return maxSubscribers;
    }

    public void setMaxSubscribers(int maxSubscribers) {
        this.maxSubscribers = maxSubscribers;
    }

    public Duration getSubscriptionTimeout() {
        return subscriptionTimeout;
    }

    public void setSubscriptionTimeout(Duration subscriptionTimeout) {
        this.subscriptionTimeout = subscriptionTimeout;
    }

    public int getAuditCapacity() {
        return auditCapacity;
    }

    public void setAuditCapacity(int auditCapacity) {
        this.auditCapacity = auditCapacity;
    }
}
