package dev.agentgateway.core.limits.internal;

import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitKind;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopeUsage;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Fires a {@link LimitWarning} the first time a limit's usage reaches the threshold, once per limit and scope. */
public final class LimitWarnings {

    private record Key(LimitScope scope, LimitKind kind) {
    }

    private final Set<Key> fired = ConcurrentHashMap.newKeySet();
    private final Consumer<LimitWarning> sink;

    public LimitWarnings(Consumer<LimitWarning> sink) {
        this.sink = sink;
    }

    /** Checks the step and budget limits of each scope after a commit. */
    public void check(ExecutionLimits limits, List<ScopeUsage> usages) {
        double threshold = limits.warningThreshold();
        for (ScopeUsage usage : usages) {
            ScopeLimits scopeLimits = limits.limitsFor(usage.scope());
            Integer maxSteps = scopeLimits.maxSteps();
            if (maxSteps != null && usage.committedSteps() >= threshold * maxSteps) {
                fire(usage.scope(), LimitKind.STEPS, BigDecimal.valueOf(usage.committedSteps()), BigDecimal.valueOf(maxSteps),
                        threshold);
            }
            BigDecimal maxBudget = scopeLimits.maxBudget();
            if (maxBudget != null && usage.committedCost().compareTo(maxBudget.multiply(BigDecimal.valueOf(threshold))) >= 0) {
                fire(usage.scope(), LimitKind.BUDGET, usage.committedCost(), maxBudget, threshold);
            }
        }
    }

    public void checkTime(ExecutionLimits limits, double elapsedSeconds) {
        double limitSeconds = limits.maxTimeSeconds();
        if (elapsedSeconds >= limits.warningThreshold() * limitSeconds) {
            fire(LimitScope.global(), LimitKind.TIME, BigDecimal.valueOf(elapsedSeconds), BigDecimal.valueOf(limitSeconds),
                    limits.warningThreshold());
        }
    }

    public void clear() {
        fired.clear();
    }

    /** Numbers are compared as primitives first: BigDecimal is only made for a warning that fires. */
    private void fire(LimitScope scope, LimitKind kind, BigDecimal current, BigDecimal limit, double threshold) {
        if (fired.add(new Key(scope, kind))) {
            sink.accept(new LimitWarning(kind, scope, current, limit, threshold));
        }
    }
}
