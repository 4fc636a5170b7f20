package dev.agentgateway.spring.tool;

import dev.agentgateway.core.tools.ToolExecutor;

/**
 * Wraps the tool executor that agents use (the {@link ToolRegistry}): rate limits, metrics,
 * security context. Beans of this type are applied in order by the agent proxies.
 */
@FunctionalInterface
public interface ToolExecutorDecorator {

    ToolExecutor decorate(ToolExecutor delegate);
}
