package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.core.BeforeCallHook;
import dev.agentgateway.core.CallContext;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

/**
 * Limits the LLM calls of each agent per window ({@code agent-gateway.agents.<id>.rate-limit}),
 * with a Resilience4j {@link RateLimiter} per agent. Runs before each attempt; a refused attempt
 * throws {@link RateLimitExceededException}, which releases its reservation and is recorded as a
 * vetoed call. Agents without a rate limit are not limited.
 */
public class AgentRateLimitHook implements BeforeCallHook {

    private final RateLimits limits;

    public AgentRateLimitHook(AgentGatewayProperties properties) {
        this.limits = new RateLimits("agent:", RateLimits.from(properties.getAgents(), AgentGatewayProperties.AgentSettings::getRateLimit));
    }

    @Override
    public void beforeCall(CallContext context) {
        RateLimiter limiter = limits.limiter(context.agentId());
        if (limiter != null && !limiter.acquirePermission()) {
            ResilienceProperties.RateLimit limit = limits.settings(context.agentId());
            throw new RateLimitExceededException(RateLimitExceededException.Subject.AGENT, context.agentId(),
                    limit.getLimitForPeriod(), limit.getRefreshPeriod());
        }
    }

    /** The limiters made so far, named {@code agent:<id>}. */
    public RateLimiterRegistry registry() {
        return limits.registry();
    }
}
