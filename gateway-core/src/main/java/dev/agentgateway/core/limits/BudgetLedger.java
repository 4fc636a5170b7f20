package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.util.List;

/**
 * Keeps what each scope has committed and reserved, and decides atomically whether a call fits.
 * The in-memory ledger serves one JVM; a shared ledger (a database) lets several instances
 * enforce one set of limits. Implementations must make {@link #reserve} all-or-nothing across
 * the scopes of a call.
 */
public interface BudgetLedger {

    /**
     * Reserves one step and {@code estimate} USD on every scope, if none of their limits would be
     * broken; otherwise reserves nothing and throws.
     *
     * @throws StepLimitExceededException when a scope has no step left
     * @throws BudgetExceededException    when a scope's budget cannot hold the estimate
     */
    Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate);

    /**
     * Reserves {@code amount} USD and no step on every scope, if no budget would be broken (a tool's
     * cost per call); otherwise reserves nothing and throws. Committed and released like any
     * reservation, without a step.
     *
     * @throws BudgetExceededException       when a scope's budget cannot hold the amount
     * @throws UnsupportedOperationException when this ledger cannot (see {@link #holdsCostWithoutStep})
     */
    default Reservation reserveCost(String agentId, List<ScopedLimit> scopes, BigDecimal amount) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot reserve a tool's cost without a step");
    }

    /** Whether {@link #reserveCost} is supported: tools with a cost per call need it. */
    default boolean holdsCostWithoutStep() {
        return false;
    }

    /**
     * Replaces the reservation by the actual cost and tokens of the finished call.
     *
     * @return the usage of each of the reservation's scopes after the commit
     */
    List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long inputTokens, long outputTokens);

    /** Gives the reservation back: the call failed and consumed nothing. */
    void release(Reservation reservation, boolean countAsFailure);

    /**
     * Counts a failed call on every scope without a reservation: a call refused before it held
     * one (by a limit, the kill switch, a paused agent, the tool rules), or one whose run was
     * stopped after it was settled (a loop). Nothing else changes.
     */
    void countFailedCall(List<LimitScope> scopes);

    ScopeUsage usage(LimitScope scope);

    /** Usage of every known scope of this type. */
    List<ScopeUsage> usages(LimitScope.Type type);

    /** Forgets a scope (a finished workflow run, say). */
    void forget(LimitScope scope);

    /** Zeroes everything; reservations made before the reset are ignored when they come back. */
    void reset();
}
