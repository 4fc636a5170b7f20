package dev.agentgateway.core.limits;

import java.math.BigDecimal;

/**
 * The step and budget limits of one scope; {@code null} means "no limit".
 */
public record ScopeLimits(Integer maxSteps, BigDecimal maxBudget) {

    public static final ScopeLimits NONE = new ScopeLimits(null, null);

    public ScopeLimits {
        if (maxSteps != null && maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps must not be negative, was " + maxSteps);
        }
        if (maxBudget != null && maxBudget.signum() < 0) {
            throw new IllegalArgumentException("maxBudget must not be negative, was " + maxBudget);
        }
    }

    public static ScopeLimits of(Integer maxSteps, BigDecimal maxBudget) {
        return new ScopeLimits(maxSteps, maxBudget);
    }

    public boolean isUnlimited() {
        return maxSteps == null && maxBudget == null;
    }

    /** This scope's limits, with each limit that is unset here taken from {@code fallback}. */
    public ScopeLimits orElse(ScopeLimits fallback) {
        return new ScopeLimits(maxSteps != null ? maxSteps : fallback.maxSteps,
                maxBudget != null ? maxBudget : fallback.maxBudget);
    }
}
