package dev.agentgateway.core.limits;

import java.math.BigDecimal;

/**
 * The call would exceed a budget: spent (committed plus reserved) plus this call's estimate is
 * over the limit.
 */
public class BudgetExceededException extends ExecutionLimitException {

    private final BigDecimal current;
    private final BigDecimal limit;
    private final BigDecimal estimate;

    public BudgetExceededException(LimitScope scope, String agentId, BigDecimal current, BigDecimal estimate, BigDecimal limit) {
        super("Budget exceeded for " + scope + ": $" + current.toPlainString() + " spent or reserved, this call may cost up to $"
                + estimate.toPlainString() + ", limit $" + limit.toPlainString() + " (agent '" + agentId + "')",
                LimitKind.BUDGET, scope, agentId);
        this.current = current;
        this.limit = limit;
        this.estimate = estimate;
    }

    /** USD committed and reserved when the call was refused. */
    @Override
    public BigDecimal current() {
        return current;
    }

    @Override
    public BigDecimal limit() {
        return limit;
    }

    /** What the refused call was estimated to cost. */
    public BigDecimal estimate() {
        return estimate;
    }
}
