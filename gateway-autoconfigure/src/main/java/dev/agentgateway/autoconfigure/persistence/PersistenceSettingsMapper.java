package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.spring.persistence.BudgetLedgerSettings;
import dev.agentgateway.spring.persistence.HistoryStoreSettings;
import dev.agentgateway.spring.persistence.RetentionSettings;

/** The settings of the JPA stores, read from {@code agent-gateway.persistence.*}. */
public final class PersistenceSettingsMapper {

    private PersistenceSettingsMapper() {
    }

    public static HistoryStoreSettings history(GatewayPersistenceProperties.History history) {
        return new HistoryStoreSettings(history.getQueueCapacity(), history.getBatchSize(), history.getFlushInterval(),
                history.getFullQueuePolicy(), history.getShutdownTimeout(), history.isStorePayloads(),
                history.getMaxQueryResults());
    }

    public static BudgetLedgerSettings budget(GatewayPersistenceProperties.Budget budget) {
        return new BudgetLedgerSettings(budget.getTenantWindow(), budget.getWindowZone(), budget.getMaxReserveAttempts(),
                budget.getLeaseTime(), budget.getInstanceId(), budget.getMaxSliceCalls(), budget.getWriteInterval(),
                budget.getSliceIdleTime());
    }

    public static RetentionSettings retention(GatewayPersistenceProperties.Retention retention) {
        return new RetentionSettings(retention.getMaxAge(), retention.getPurgeCron(), retention.getChunkSize());
    }
}
