package dev.agentgateway.autoconfigure.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Steps and money that one gateway instance holds on one ledger row until a time (table
 * {@code agw_lease}): today the reservation of one call in flight, one row per scope of the call.
 * The row's {@code reserved_*} figures in {@code agw_budget} include every lease on it. The lease
 * is deleted when the call is settled; if its instance dies first, the lease expires and whichever
 * instance deletes it gives its steps and money back to the row. A row's figures never change after
 * it is written, and whoever deletes it owns it, so nothing is read and then written.
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
