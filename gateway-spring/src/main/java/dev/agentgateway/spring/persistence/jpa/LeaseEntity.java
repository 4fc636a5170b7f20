package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Steps and money that one gateway instance holds on one ledger row until a time (table
 * {@code agw_lease}): a <em>slice</em> of the scope's remaining budget that the instance serves
 * calls from in memory (lease id ending in {@code /slice}), or the reservation of one call of a
 * workflow run. The row's {@code reserved_*} figures in {@code agw_budget} include every lease on
 * it. Only its owner changes a lease's figures, renewing it as it does; when the owner dies, the
 * lease expires and whichever instance deletes it (matching the figures it read) gives its steps
 * and money back to the row, exactly once.
 *
 * @see LeaseRepository
 */
@Entity(name = "AgwLease")
@Table(name = "agw_lease")
public class LeaseEntity {

    @EmbeddedId
    private LeaseKey key;

    /** The instance that took the lease ({@code agent-gateway.persistence.budget.instance-id}). */
    @Column(name = "instance_id", nullable = false, length = 128)
    private String instanceId;

    /** The ledger epoch of the row it holds on: after a reset it holds nothing. */
    @Column(name = "epoch", nullable = false)
    private long epoch;

    @Column(name = "steps", nullable = false)
    private long steps;

    @Column(name = "amount", nullable = false, precision = 30, scale = 12)
    private BigDecimal amount;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected LeaseEntity() {
    }

    public LeaseKey getKey() {
        return key;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public long getEpoch() {
        return epoch;
    }

    public long getSteps() {
        return steps;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
