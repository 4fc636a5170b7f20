package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one agent's runs do at a limit, per limit.
 *
 * <p>With {@link OnLimit#FINISH} on steps, every scope's step limit keeps one step back from the
 * agent's ordinary calls; on budget, every budget keeps {@code finishReserve} USD back. The last
 * call (without tools, asking the model to conclude) is the only one that may use what was kept
 * back, and only if its estimate fits in it, so the limit itself is never exceeded by it.
 *
 * @param steps          at the step limits
 * @param budget         at the budget limits
 * @param finishReserve  USD each budget keeps back for the last call (required with {@code budget = FINISH})
 * @param downgradeModel the model the agent's calls go to once a budget of theirs passes its warning threshold,
 *                       or {@code null} to stay on the agent's own
 */
public record LimitActions(OnLimit steps, OnLimit budget, BigDecimal finishReserve, String downgradeModel) {

    /** Every limit fails the run; no downgrade. */
    public static final LimitActions FAIL = new LimitActions(OnLimit.FAIL, OnLimit.FAIL, null, null);

    /** The reason a run that concluded at a limit ends with: {@code limit_<kind>}, e.g. {@code limit_steps}. */
    public static String finishReason(LimitKind kind) {
        return "limit_" + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    public LimitActions {
        steps = steps == null ? OnLimit.FAIL : steps;
        budget = budget == null ? OnLimit.FAIL : budget;
        if (budget == OnLimit.FINISH && (finishReserve == null || finishReserve.signum() <= 0)) {
            throw new IllegalArgumentException("finishing at a budget needs a positive finishReserve (the USD kept back "
                    + "for the last call), was " + finishReserve);
        }
        if (downgradeModel != null && downgradeModel.isBlank()) {
            throw new IllegalArgumentException("downgradeModel must not be blank");
        }
    }

    public static LimitActions finishing(OnLimit steps, OnLimit budget, BigDecimal finishReserve) {
        return new LimitActions(steps, budget, finishReserve, null);
    }

    public LimitActions withDowngradeModel(String model) {
        return new LimitActions(steps, budget, finishReserve, Objects.requireNonNull(model, "model"));
    }

    /** Whether any limit finishes the run rather than failing it. */
    public boolean finishesAny() {
        return steps == OnLimit.FINISH || budget == OnLimit.FINISH;
    }

    /** Whether a refusal of this kind is answered by a last call. */
    public boolean finishes(LimitKind kind) {
        return kind == LimitKind.STEPS ? steps == OnLimit.FINISH : kind == LimitKind.BUDGET && budget == OnLimit.FINISH;
    }

    /** {@code limits} as the agent's ordinary calls see them: less what is kept back for the last call. */
    public ScopeLimits heldBack(ScopeLimits limits) {
        Integer maxSteps = limits.maxSteps();
        BigDecimal maxBudget = limits.maxBudget();
        if (steps == OnLimit.FINISH && maxSteps != null) {
            maxSteps = Math.max(0, maxSteps - 1);
        }
        if (budget == OnLimit.FINISH && maxBudget != null) {
            maxBudget = maxBudget.subtract(finishReserve).max(BigDecimal.ZERO);
        }
        return new ScopeLimits(maxSteps, maxBudget);
    }
}
