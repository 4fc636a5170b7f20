package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.CallContext;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import java.util.Map;

/**
 * Limits the LLM calls of each agent per window ({@code agent-gateway.agents.<id>.rate-limit}),
 * with a Resilience4j {@link RateLimiter} per agent. Runs before each attempt; a refused attempt
 * throws {@link RateLimitExceededException}, which releases its reservation and is recorded as a
 * vetoed call. Agents without a rate limit are not limited.
 */
public class AgentRateLimitHook implements BeforeCallHook {

    private final RateLimits limits;

    /** Limits by agent id; one without an entry is not limited. */
    public AgentRateLimitHook(Map<String, RateLimitSettings> limits) {
        this.limits = new RateLimits("agent:", RateLimits.from(limits));
    }

    @Override
    public void beforeCall(CallContext context) {
        RateLimiter limiter = limits.limiter(context.agentId());
        if (limiter != null && !limiter.acquirePermission()) {
            RateLimitSettings limit = limits.settings(context.agentId());
            throw new RateLimitExceededException(RateLimitExceededException.Subject.AGENT, context.agentId(),
                    limit.limitForPeriod(), limit.refreshPeriod());
        }
    }

    /** The limiters made so far, named {@code agent:<id>}. */
    public RateLimiterRegistry registry() {
        return limits.registry();
    }
}
