package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every limit the gateway enforces. Global budget, steps and time are the seed's; the per-agent,
 * per-workflow-run and per-tenant limits apply to each agent, run or tenant separately, and
 * {@link #agents()} / {@link #tenants()} override them for named ones. Immutable: change limits
 * at run time with {@code Gateway.updateLimits}.
 *
 * @param maxBudget        USD the whole gateway may spend, or {@code null}
 * @param maxSteps         provider calls the whole gateway may make, or {@code null}
 * @param maxTime          wall time from the first call (or {@code start()}), or {@code null}
 * @param perAgent         limits of every agent
 * @param perWorkflow      limits of every workflow run
 * @param perTenant        limits of every tenant
 * @param agents           limits of named agents, overriding {@code perAgent} where set
 * @param tenants          limits of named tenants, overriding {@code perTenant} where set
 * @param warningThreshold share of a limit (0–1) at which limit warnings fire; default 0.8
 */
public record ExecutionLimits(BigDecimal maxBudget, Integer maxSteps, Duration maxTime,
                              ScopeLimits perAgent, ScopeLimits perWorkflow, ScopeLimits perTenant,
                              Map<String, ScopeLimits> agents, Map<String, ScopeLimits> tenants,
                              double warningThreshold) {

    public static final double DEFAULT_WARNING_THRESHOLD = 0.8;

    private static final ExecutionLimits NONE = builder().build();

    public ExecutionLimits {
        new ScopeLimits(maxSteps, maxBudget); // validates both
        if (maxTime != null && maxTime.isNegative()) {
            throw new IllegalArgumentException("maxTime must not be negative, was " + maxTime);
        }
        if (!(warningThreshold > 0 && warningThreshold <= 1)) {
            throw new IllegalArgumentException("warningThreshold must be in (0, 1], was " + warningThreshold);
        }
        perAgent = perAgent == null ? ScopeLimits.NONE : perAgent;
        perWorkflow = perWorkflow == null ? ScopeLimits.NONE : perWorkflow;
        perTenant = perTenant == null ? ScopeLimits.NONE : perTenant;
        agents = agents == null ? Map.of() : Map.copyOf(agents);
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /** No limits at all. */
    public static ExecutionLimits none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The limits in force for {@code scope}. */
    public ScopeLimits limitsFor(LimitScope scope) {
        return switch (scope.type()) {
            case GLOBAL -> new ScopeLimits(maxSteps, maxBudget);
            case AGENT -> agents.getOrDefault(scope.id(), ScopeLimits.NONE).orElse(perAgent);
            case WORKFLOW -> perWorkflow;
            case TENANT -> tenants.getOrDefault(scope.id(), ScopeLimits.NONE).orElse(perTenant);
        };
    }

    /** {@link #maxTime()} in seconds, or {@code null}. */
    public Double maxTimeSeconds() {
        return maxTime == null ? null : maxTime.toNanos() / 1e9;
    }

    public static final class Builder {
        private BigDecimal maxBudget;
        private Integer maxSteps;
        private Duration maxTime;
        private ScopeLimits perAgent = ScopeLimits.NONE;
        private ScopeLimits perWorkflow = ScopeLimits.NONE;
        private ScopeLimits perTenant = ScopeLimits.NONE;
        private final Map<String, ScopeLimits> agents = new LinkedHashMap<>();
        private final Map<String, ScopeLimits> tenants = new LinkedHashMap<>();
        private double warningThreshold = DEFAULT_WARNING_THRESHOLD;

        private Builder() {
        }

        private Builder(ExecutionLimits limits) {
            maxBudget = limits.maxBudget;
            maxSteps = limits.maxSteps;
            maxTime = limits.maxTime;
            perAgent = limits.perAgent;
            perWorkflow = limits.perWorkflow;
            perTenant = limits.perTenant;
            agents.putAll(limits.agents);
            tenants.putAll(limits.tenants);
            warningThreshold = limits.warningThreshold;
        }

        public Builder maxBudget(BigDecimal maxBudget) {
            this.maxBudget = maxBudget;
            return this;
        }

        public Builder maxBudget(String maxBudget) {
            return maxBudget(maxBudget == null ? null : new BigDecimal(maxBudget));
        }

        public Builder maxBudget(double maxBudget) {
            return maxBudget(BigDecimal.valueOf(maxBudget));
        }

        public Builder maxSteps(Integer maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        public Builder maxTime(Duration maxTime) {
            this.maxTime = maxTime;
            return this;
        }

        public Builder maxTimeSeconds(double seconds) {
            return maxTime(Duration.ofNanos(Math.round(seconds * 1e9)));
        }

        public Builder perAgentMaxSteps(Integer steps) {
            perAgent = new ScopeLimits(steps, perAgent.maxBudget());
            return this;
        }

        public Builder perAgentMaxBudget(BigDecimal budget) {
            perAgent = new ScopeLimits(perAgent.maxSteps(), budget);
            return this;
        }

        public Builder perAgentMaxBudget(String budget) {
            return perAgentMaxBudget(new BigDecimal(budget));
        }

        public Builder perWorkflowMaxSteps(Integer steps) {
            perWorkflow = new ScopeLimits(steps, perWorkflow.maxBudget());
            return this;
        }

        public Builder perWorkflowMaxBudget(BigDecimal budget) {
            perWorkflow = new ScopeLimits(perWorkflow.maxSteps(), budget);
            return this;
        }

        public Builder perWorkflowMaxBudget(String budget) {
            return perWorkflowMaxBudget(new BigDecimal(budget));
        }

        public Builder perTenantMaxSteps(Integer steps) {
            perTenant = new ScopeLimits(steps, perTenant.maxBudget());
            return this;
        }

        public Builder perTenantMaxBudget(BigDecimal budget) {
            perTenant = new ScopeLimits(perTenant.maxSteps(), budget);
            return this;
        }

        public Builder perTenantMaxBudget(String budget) {
            return perTenantMaxBudget(new BigDecimal(budget));
        }

        /** Limits of one named agent, overriding the per-agent limits where set. */
        public Builder agent(String agentId, ScopeLimits limits) {
            agents.put(Objects.requireNonNull(agentId, "agentId"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /** Limits of one named tenant, overriding the per-tenant limits where set. */
        public Builder tenant(String tenant, ScopeLimits limits) {
            tenants.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        public Builder warningThreshold(double warningThreshold) {
            this.warningThreshold = warningThreshold;
            return this;
        }

        public ExecutionLimits build() {
            return new ExecutionLimits(maxBudget, maxSteps, maxTime, perAgent, perWorkflow, perTenant, agents, tenants,
                    warningThreshold);
        }
    }
}
