package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one scope has committed and reserved in one window (table {@code agw_budget}). Rows are only
 * ever changed by single {@code UPDATE} statements of {@link BudgetRepository} that add to them, never
 * written back whole, so that several instances can share them; where an instance decides from a
 * row's figures (the size of a slice) it reads it under a row lock first.
 *
 * @see dev.agentgateway.spring.persistence.JpaBudgetLedger
 */
@Entity(name = "AgwBudget")
@Table(name = "agw_budget")
public class BudgetEntity {

    @EmbeddedId
    private BudgetKey key;

    /** The ledger epoch the row belongs to; a reset starts a new epoch. */
    @Column(name = "epoch", nullable = false)
    private long epoch;

    @Column(name = "committed_steps", nullable = false)
    private long committedSteps;

    @Column(name = "reserved_steps", nullable = false)
    private long reservedSteps;

    @Column(name = "committed_cost", nullable = false, precision = 30, scale = 12)
    private BigDecimal committedCost;

    @Column(name = "reserved_cost", nullable = false, precision = 30, scale = 12)
    private BigDecimal reservedCost;

    @Column(name = "input_tokens", nullable = false)
    private long inputTokens;

    @Column(name = "output_tokens", nullable = false)
    private long outputTokens;

    @Column(name = "failed_calls", nullable = false)
    private long failedCalls;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** How often an instance was refused while others held slices of this row: holders give back their unused part. */
    @Column(name = "slices_wanted", nullable = false)
    private long slicesWanted;

    protected BudgetEntity() {
    }

    public BudgetKey getKey() {
        return key;
    }

    public long getEpoch() {
        return epoch;
    }

    public long getCommittedSteps() {
        return committedSteps;
    }

    public long getReservedSteps() {
        return reservedSteps;
    }

    public BigDecimal getCommittedCost() {
        return committedCost;
    }

    public BigDecimal getReservedCost() {
        return reservedCost;
    }

    public long getInputTokens() {
        return inputTokens;
    }

    public long getOutputTokens() {
        return outputTokens;
    }

    public long getFailedCalls() {
        return failedCalls;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getSlicesWanted() {
        return slicesWanted;
    }
}
