package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.ScopeLimits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code /actuator/agentgateway} with live control, registered instead of
 * {@link AgentGatewayEndpoint} only when {@code agent-gateway.actuator.write-enabled=true}:
 *
 * <ul>
 *   <li>{@code POST /actuator/agentgateway/stop}: the kill switch; every new call is refused with
 *       {@code GatewayStoppedException};</li>
 *   <li>{@code POST /actuator/agentgateway/resume}: lifts it;</li>
 *   <li>{@code POST /actuator/agentgateway/reset}: the seed's {@code reset()};</li>
 *   <li>{@code POST /actuator/agentgateway/limits} with a JSON body of any of {@code maxBudget, maxSteps,
 *       maxTime, perAgentMaxSteps, perAgentMaxBudget, perWorkflowMaxSteps, perWorkflowMaxBudget,
 *       perTenantMaxSteps, perTenantMaxBudget, warningThreshold}: changes those limits, keeps the
 *       others ({@code "none"} removes a limit; {@code maxTime} as {@code "10m"} or {@code "PT10M"});</li>
 *   <li>{@code POST /actuator/agentgateway/{agentId}/pause} and {@code .../resume}: one agent's calls
 *       are refused with {@code AgentPausedException} until resumed;</li>
 *   <li>{@code POST /actuator/agentgateway/{agentId}/limits} with {@code maxSteps} and/or
 *       {@code maxBudget}: that agent's own limits;</li>
 *   <li>{@code POST /actuator/agentgateway/tenants/{tenant}/limits} with {@code maxSteps} and/or
 *       {@code maxBudget}: that tenant's own limits.</li>
 * </ul>
 *
 * Each answers with the endpoint's read view afterwards (the agent's view for agent actions).
 * Unknown actions and malformed values are answered with 400. As for every Actuator write
 * operation that takes parameters, send {@code Content-Type: application/json} (the body may be
 * empty): {@code curl -X POST -H 'Content-Type: application/json' localhost:8080/actuator/agentgateway/stop}.
 * Actuator's own access rules still apply: {@code management.endpoint.agentgateway.access=read-only}
 * turns the writes off again.
 */
@Endpoint(id = "agentgateway")
public class AgentGatewayControlEndpoint extends AgentGatewayEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AgentGatewayControlEndpoint.class);

    private static final String NONE = "none";

    public AgentGatewayControlEndpoint(Gateway gateway, EndpointSanitizer sanitizer,
                                       ObjectProvider<ProviderCircuitStates> circuitStates) {
        super(gateway, sanitizer, circuitStates);
    }

    @Override
    protected boolean isWriteEnabled() {
        return true;
    }

    /** {@code stop}, {@code resume}, {@code reset} or {@code limits}. */
    @WriteOperation
    public Map<String, Object> control(@Selector String action, @Nullable String maxBudget, @Nullable String maxSteps,
                                       @Nullable String maxTime, @Nullable String perAgentMaxSteps,
                                       @Nullable String perAgentMaxBudget, @Nullable String perWorkflowMaxSteps,
                                       @Nullable String perWorkflowMaxBudget, @Nullable String perTenantMaxSteps,
                                       @Nullable String perTenantMaxBudget, @Nullable String warningThreshold) {
        boolean anyLimit = maxBudget != null || maxSteps != null || maxTime != null || perAgentMaxSteps != null
                || perAgentMaxBudget != null || perWorkflowMaxSteps != null || perWorkflowMaxBudget != null
                || perTenantMaxSteps != null || perTenantMaxBudget != null || warningThreshold != null;
        switch (action.toLowerCase(Locale.ROOT)) {
            case "stop" -> {
                noLimits(action, anyLimit);
                gateway.stopAll();
                log.warn("Agent Gateway stopped through Actuator");
            }
            case "resume" -> {
                noLimits(action, anyLimit);
                gateway.resumeAll();
                log.info("Agent Gateway resumed through Actuator");
            }
            case "reset" -> {
                noLimits(action, anyLimit);
                gateway.reset();
                log.info("Agent Gateway reset through Actuator");
            }
            case "limits" -> {
                if (!anyLimit) {
                    throw invalid("Action 'limits' needs at least one limit in the request body");
                }
                ExecutionLimits current = gateway.getLimits();
                ExecutionLimits.Builder builder = current.toBuilder();
                Setting<BigDecimal> budget = budget("maxBudget", maxBudget);
                if (budget.present()) {
                    builder.maxBudget(budget.value());
                }
                Setting<Integer> steps = steps("maxSteps", maxSteps);
                if (steps.present()) {
                    builder.maxSteps(steps.value());
                }
                Setting<Duration> time = parse("maxTime", maxTime, GatewayControl::duration);
                if (time.present()) {
                    builder.maxTime(time.value());
                }
                Setting<Integer> agentSteps = steps("perAgentMaxSteps", perAgentMaxSteps);
                if (agentSteps.present()) {
                    builder.perAgentMaxSteps(agentSteps.value());
                }
                Setting<BigDecimal> agentBudget = budget("perAgentMaxBudget", perAgentMaxBudget);
                if (agentBudget.present()) {
                    builder.perAgentMaxBudget(agentBudget.value());
                }
                Setting<Integer> workflowSteps = steps("perWorkflowMaxSteps", perWorkflowMaxSteps);
                if (workflowSteps.present()) {
                    builder.perWorkflowMaxSteps(workflowSteps.value());
                }
                Setting<BigDecimal> workflowBudget = budget("perWorkflowMaxBudget", perWorkflowMaxBudget);
                if (workflowBudget.present()) {
                    builder.perWorkflowMaxBudget(workflowBudget.value());
                }
                Setting<Integer> tenantSteps = steps("perTenantMaxSteps", perTenantMaxSteps);
                if (tenantSteps.present()) {
                    builder.perTenantMaxSteps(tenantSteps.value());
                }
                Setting<BigDecimal> tenantBudget = budget("perTenantMaxBudget", perTenantMaxBudget);
                if (tenantBudget.present()) {
                    builder.perTenantMaxBudget(tenantBudget.value());
                }
                Setting<Double> threshold = parse("warningThreshold", warningThreshold, Double::valueOf);
                if (threshold.present()) {
                    if (threshold.value() == null) {
                        throw invalid("warningThreshold cannot be removed; give a share between 0 and 1");
                    }
                    builder.warningThreshold(threshold.value());
                }
                update(builder::build);
            }
            default -> throw invalid("Unknown action '" + action + "': use stop, resume, reset or limits");
        }
        return gateway();
    }

    /** {@code pause}, {@code resume} or {@code limits} for one agent. */
    @WriteOperation
    public Map<String, Object> controlAgent(@Selector String agentId, @Selector String action, @Nullable String maxSteps,
                                            @Nullable String maxBudget) {
        boolean anyLimit = maxSteps != null || maxBudget != null;
        switch (action.toLowerCase(Locale.ROOT)) {
            case "pause" -> {
                noLimits(action, anyLimit);
                gateway.pauseAgent(agentId);
            }
            case "resume" -> {
                noLimits(action, anyLimit);
                gateway.resumeAgent(agentId);
            }
            case "limits" -> {
                updateNamedLimits(agentId, maxSteps, maxBudget, anyLimit, ExecutionLimits::agents,
                        (current, agents) -> new ExecutionLimits(current.maxBudget(), current.maxSteps(), current.maxTime(),
                                current.perAgent(), current.perWorkflow(), current.perTenant(), agents, current.tenants(),
                                current.warningThreshold()));
                log.info("Limits of agent '{}' updated through Actuator", agentId);
            }
            default -> throw invalid("Unknown action '" + action + "' for agent '" + agentId + "': use pause, resume or limits");
        }
        return agentView(agentId);
    }

    /**
     * {@code POST /actuator/agentgateway/tenants/{tenant}/limits} with {@code maxSteps} and/or {@code maxBudget}:
     * that tenant's own limits ({@code "none"} removes one, falling back to the per-tenant limits).
     */
    @WriteOperation
    public Map<String, Object> controlTenant(@Selector String scope, @Selector String tenant, @Selector String action,
                                             @Nullable String maxSteps, @Nullable String maxBudget) {
        if (!"tenants".equals(scope) || !"limits".equalsIgnoreCase(action)) {
            throw invalid("Unknown action '" + scope + "/" + tenant + "/" + action + "': use tenants/{tenant}/limits");
        }
        updateNamedLimits(tenant, maxSteps, maxBudget, maxSteps != null || maxBudget != null, ExecutionLimits::tenants,
                (current, tenants) -> new ExecutionLimits(current.maxBudget(), current.maxSteps(), current.maxTime(),
                        current.perAgent(), current.perWorkflow(), current.perTenant(), current.agents(), tenants,
                        current.warningThreshold()));
        log.info("Limits of tenant '{}' updated through Actuator", tenant);
        return gateway();
    }

    /** Changes the own limits of one named agent or tenant, keeping whichever of the two is not given. */
    private void updateNamedLimits(String id, @Nullable String maxSteps, @Nullable String maxBudget, boolean anyLimit,
                                   Function<ExecutionLimits, Map<String, ScopeLimits>> named,
                                   BiFunction<ExecutionLimits, Map<String, ScopeLimits>, ExecutionLimits> rebuild) {
        if (!anyLimit) {
            throw invalid("Action 'limits' needs maxSteps and/or maxBudget in the request body");
        }
        Setting<Integer> steps = steps("maxSteps", maxSteps);
        Setting<BigDecimal> budget = budget("maxBudget", maxBudget);
        ExecutionLimits current = gateway.getLimits();
        Map<String, ScopeLimits> limits = new LinkedHashMap<>(named.apply(current));
        ScopeLimits own = limits.getOrDefault(id, ScopeLimits.NONE);
        update(() -> {
            ScopeLimits changed = new ScopeLimits(steps.present() ? steps.value() : own.maxSteps(),
                    budget.present() ? budget.value() : own.maxBudget());
            if (changed.isUnlimited()) {
                limits.remove(id);
            } else {
                limits.put(id, changed);
            }
            return rebuild.apply(current, limits);
        });
    }

    private void update(java.util.function.Supplier<ExecutionLimits> limits) {
        ExecutionLimits built;
        try {
            built = limits.get();
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid limits: " + e.getMessage());
        }
        gateway.updateLimits(built);
    }

    private static void noLimits(String action, boolean anyLimit) {
        if (anyLimit) {
            throw invalid("Action '" + action + "' takes no limits; use the action 'limits' to change them");
        }
    }

    /** A value from the request: absent (unchanged), present and null (removed), or present with a value. */
    private record Setting<T>(boolean present, T value) {
    }

    private static Setting<BigDecimal> budget(String name, @Nullable String text) {
        Setting<BigDecimal> setting = parse(name, text, BigDecimal::new);
        if (setting.value() != null && setting.value().signum() < 0) {
            throw invalid(name + " must not be negative, was " + text);
        }
        return setting;
    }

    private static Setting<Integer> steps(String name, @Nullable String text) {
        Setting<Integer> setting = parse(name, text, value -> new BigDecimal(value).intValueExact());
        if (setting.value() != null && setting.value() < 0) {
            throw invalid(name + " must not be negative, was " + text);
        }
        return setting;
    }

    private static <T> Setting<T> parse(String name, @Nullable String text, Function<String, T> parser) {
        if (text == null) {
            return new Setting<>(false, null);
        }
        String value = text.strip();
        if (value.equalsIgnoreCase(NONE) || value.equalsIgnoreCase("unlimited") || value.isEmpty()) {
            return new Setting<>(true, null);
        }
        try {
            return new Setting<>(true, parser.apply(value));
        } catch (RuntimeException e) {
            throw invalid("Invalid " + name + " '" + text + "'");
        }
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }

    /** Parsing of control values. */
    static final class GatewayControl {

        private GatewayControl() {
        }

        /** {@code "10m"}, {@code "PT10M"}, or a number of seconds. */
        static Duration duration(String text) {
            if (text.matches("\\d+(\\.\\d+)?")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9));
            }
            return DurationStyle.detectAndParse(text);
        }
    }
}
