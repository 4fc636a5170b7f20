package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.io.Serializable;
import java.util.Objects;

/**
 * The key of a ledger row: scope type and id, and the budget window ({@code "-"} when the scope's
 * usage never resets; a date such as {@code 2025-06-01} or month {@code 2025-06} for tenant windows).
 */
@Embeddable
public class BudgetKey implements Serializable {

    /** The window key of scopes whose usage does not reset. */
    public static final String NO_WINDOW = "-";

    @Column(name = "scope_type", nullable = false, length = 16)
    private String scopeType;

    @Column(name = "scope_id", nullable = false)
    private String scopeId;

    @Column(name = "window_key", nullable = false, length = 16)
    private String windowKey;

    protected BudgetKey() {
    }

    public BudgetKey(String scopeType, String scopeId, String windowKey) {
        this.scopeType = Objects.requireNonNull(scopeType, "scopeType");
        this.scopeId = Objects.requireNonNull(scopeId, "scopeId");
        this.windowKey = Objects.requireNonNull(windowKey, "windowKey");
    }

    public String getScopeType() {
        return scopeType;
    }

    public String getScopeId() {
        return scopeId;
    }

    public String getWindowKey() {
        return windowKey;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BudgetKey key && scopeType.equals(key.scopeType) && scopeId.equals(key.scopeId)
                && windowKey.equals(key.windowKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scopeType, scopeId, windowKey);
    }

    @Override
    public String toString() {
        return scopeType + ":" + scopeId + "@" + windowKey;
    }
}
