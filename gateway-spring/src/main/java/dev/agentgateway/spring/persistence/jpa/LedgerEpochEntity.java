package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The epoch of the shared budget ledger (table {@code agw_ledger_epoch}, one row with id 1). A
 * reset increments it, so that reservations taken before the reset are ignored when they return.
 */
@Entity(name = "AgwLedgerEpoch")
@Table(name = "agw_ledger_epoch")
public class LedgerEpochEntity {

    /** The id of the only row. */
    public static final int ROW_ID = 1;

    @Id
    @Column(name = "id", nullable = false)
    private int id;

    @Column(name = "epoch", nullable = false)
    private long epoch;

    protected LedgerEpochEntity() {
    }

    public int getId() {
        return id;
    }

    public long getEpoch() {
        return epoch;
    }
}
