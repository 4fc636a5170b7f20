package dev.agentgateway.spring.actuate.metrics;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.limits.ExecutionLimits;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.math.BigDecimal;

/**
 * Gauges over the gateway's current state, read when the registry is scraped:
 * {@code agent_gateway.budget.remaining} and {@code agent_gateway.budget.spent} (USD),
 * {@code agent_gateway.steps.remaining}, {@code agent_gateway.stopped} (1 while the kill switch is
 * on) and {@code agent_gateway.agents.paused}. A remaining figure is NaN when its limit is not set.
 */
public class GatewayStateMeterBinder implements MeterBinder {

    private final Gateway gateway;

    public GatewayStateMeterBinder(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(GatewayMeterNames.BUDGET_REMAINING, gateway, GatewayStateMeterBinder::budgetRemaining)
                .description("Global budget left, in USD (NaN without a budget)")
                .baseUnit("usd")
                .tag("scope", "global")
                .register(registry);
        Gauge.builder(GatewayMeterNames.BUDGET_SPENT, gateway, g -> g.metrics().totalCost().doubleValue())
                .description("USD spent since start or the last reset")
                .baseUnit("usd")
                .tag("scope", "global")
                .register(registry);
        Gauge.builder(GatewayMeterNames.STEPS_REMAINING, gateway, GatewayStateMeterBinder::stepsRemaining)
                .description("Global steps left (NaN without a step limit)")
                .tag("scope", "global")
                .register(registry);
        Gauge.builder(GatewayMeterNames.STOPPED, gateway, g -> g.isStopped() ? 1 : 0)
                .description("1 while the kill switch is on and every call is refused")
                .register(registry);
        Gauge.builder(GatewayMeterNames.PAUSED_AGENTS, gateway, g -> g.pausedAgents().size())
                .description("Agents paused")
                .register(registry);
    }

    private static double budgetRemaining(Gateway gateway) {
        ExecutionLimits limits = gateway.getLimits();
        if (limits.maxBudget() == null) {
            return Double.NaN;
        }
        BigDecimal left = limits.maxBudget().subtract(gateway.metrics().totalCost());
        return Math.max(0d, left.doubleValue());
    }

    private static double stepsRemaining(Gateway gateway) {
        ExecutionLimits limits = gateway.getLimits();
        if (limits.maxSteps() == null) {
            return Double.NaN;
        }
        return Math.max(0L, limits.maxSteps() - gateway.metrics().totalSteps());
    }
}
