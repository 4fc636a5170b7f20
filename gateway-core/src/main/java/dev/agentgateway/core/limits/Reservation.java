package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.util.List;

/**
 * Steps and an estimated cost held on every scope of a call while the provider works; settled
 * to the actual figures with {@link BudgetLedger#commit} or given back with
 * {@link BudgetLedger#release}.
 *
 * @param epoch   the ledger's epoch when reserved; a reservation from before a reset is ignored
 * @param runStep the position of this call in its workflow run (1-based), or 0 without a run
 * @param steps   steps held: 1 for a model call, 0 for a tool's cost ({@link BudgetLedger#reserveCost})
 */
public record Reservation(long id, long epoch, String agentId, List<LimitScope> scopes, BigDecimal amount, long runStep,
                          int steps) {

    public Reservation {
        scopes = List.copyOf(scopes);
    }

    /** The reservation of a model call: one step. */
    public Reservation(long id, long epoch, String agentId, List<LimitScope> scopes, BigDecimal amount, long runStep) {
        this(id, epoch, agentId, scopes, amount, runStep, 1);
    }
}
