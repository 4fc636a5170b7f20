package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;

import java.io.Serializable;
import java.util.Objects;

/** The key of a lease row: the lease, and the ledger row (scope and window) it holds steps and money on. */
@Embeddable
public class LeaseKey implements Serializable {

    @Column(name = "lease_id", nullable = false)
    private String leaseId;

    @Embedded
    private BudgetKey scope;

    protected LeaseKey() {
    }

    public LeaseKey(String leaseId, BudgetKey scope) {
        this.leaseId = Objects.requireNonNull(leaseId, "leaseId");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public String getLeaseId() {
        return leaseId;
    }

    public BudgetKey getScope() {
        return scope;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LeaseKey key && leaseId.equals(key.leaseId) && scope.equals(key.scope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leaseId, scope);
    }

    @Override
    public String toString() {
        return leaseId + " on " + scope;
    }
}
