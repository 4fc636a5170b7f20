package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.Gateway;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The gateway's health, as {@code agentGateway} in {@code /actuator/health}: DOWN when the kill
 * switch is on or a global limit (budget, steps, time) is used up, since no call can then be
 * served; UP otherwise. Details: {@code stopped}, {@code pausedAgents}, {@code totalCost},
 * {@code callCount}, {@code remaining} (budget, steps, time; only the limits that are set) and,
 * when DOWN, the {@code reasons}.
 */
public class AgentGatewayHealthIndicator extends AbstractHealthIndicator {

    private final Gateway gateway;

    public AgentGatewayHealthIndicator(Gateway gateway) {
        super("Agent Gateway health check failed");
        this.gateway = gateway;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> metrics = gateway.getMetrics();
        Map<?, ?> remaining = metrics.get("remaining") instanceof Map<?, ?> map ? map : Map.of();
        List<String> reasons = new ArrayList<>();
        if (gateway.isStopped()) {
            reasons.add("stopped: the kill switch is on, every call is refused");
        }
        if (remaining.get("budget") instanceof BigDecimal budget && budget.signum() <= 0) {
            reasons.add("the global budget is exhausted");
        }
        if (remaining.get("steps") instanceof Number steps && steps.longValue() <= 0) {
            reasons.add("the global step limit is reached");
        }
        if (remaining.get("time") instanceof Number time && time.doubleValue() <= 0) {
            reasons.add("the global time limit is reached");
        }
        if (reasons.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("reasons", reasons);
        }
        builder.withDetail("stopped", gateway.isStopped());
        builder.withDetail("pausedAgents", new TreeSet<>(gateway.pausedAgents()));
        builder.withDetail("totalCost", metrics.get("total_cost"));
        builder.withDetail("callCount", metrics.get("call_count"));
        Map<String, Object> left = new LinkedHashMap<>();
        remaining.forEach((key, value) -> {
            if (value != null) {
                left.put(String.valueOf(key), value);
            }
        });
        builder.withDetail("remaining", left);
    }
}
