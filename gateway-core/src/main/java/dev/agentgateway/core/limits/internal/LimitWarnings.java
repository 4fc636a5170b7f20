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
            if (maxBudget != null && reached(usage.committedCost(), maxBudget, threshold)) {
                fire(usage.scope(), LimitKind.BUDGET, usage.committedCost(), maxBudget, threshold);
            }
        }
    }

    /**
     * Whether {@code spent >= threshold × limit}. Compared as doubles first (BigDecimal's doubleValue
     * of a small figure makes no object): only a figure within a millionth of the threshold is
     * compared exactly, which makes a BigDecimal of the threshold.
     */
    private static boolean reached(BigDecimal spent, BigDecimal limit, double threshold) {
        double bar = threshold * limit.doubleValue();
        double value = spent.doubleValue();
        if (value < bar - Math.abs(bar) * 1e-6) {
            return false;
        }
        return spent.compareTo(limit.multiply(BigDecimal.valueOf(threshold))) >= 0;
    }

    /** @param limitSeconds the time limit of {@code limits}, in seconds */
    public void checkTime(ExecutionLimits limits, double elapsedSeconds, double limitSeconds) {
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
