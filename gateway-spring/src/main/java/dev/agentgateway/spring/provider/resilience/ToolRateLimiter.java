package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.spring.tool.ToolExecutorDecorator;
import dev.agentgateway.core.tools.ToolExecutor;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import java.util.Map;
import java.util.Objects;

/**
 * Limits how often each tool runs per window ({@code agent-gateway.tools.<name>.rate-limit}),
 * with a Resilience4j {@link RateLimiter} per tool shared by all agents. Apply it to a tool
 * executor with {@link #decorate}; a refused call throws {@link RateLimitExceededException}, which
 * the gateway's tool loop reports to the model as an error result. Agent proxies apply it as a
 * {@link ToolExecutorDecorator}.
 */
public class ToolRateLimiter implements ToolExecutorDecorator {

    private final RateLimits limits;

    /** Limits by tool name; one without an entry is not limited. */
    public ToolRateLimiter(Map<String, RateLimitSettings> limits) {
        this.limits = new RateLimits("tool:", RateLimits.from(limits));
    }

    /** {@code delegate}, with each tool's rate limit applied before it runs. */
    @Override
    public ToolExecutor decorate(ToolExecutor delegate) {
        Objects.requireNonNull(delegate, "delegate");
        return (toolName, arguments) -> {
            acquire(toolName);
            return delegate.execute(toolName, arguments);
        };
    }

    /** Takes one call of {@code toolName}'s allowance; throws when none is left. */
    public void acquire(String toolName) {
        RateLimiter limiter = limits.limiter(toolName);
        if (limiter != null && !limiter.acquirePermission()) {
            RateLimitSettings limit = limits.settings(toolName);
            throw new RateLimitExceededException(RateLimitExceededException.Subject.TOOL, toolName,
                    limit.limitForPeriod(), limit.refreshPeriod());
        }
    }

    /** The limiters made so far, named {@code tool:<name>}. */
    public RateLimiterRegistry registry() {
        return limits.registry();
    }
}
