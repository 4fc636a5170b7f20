package dev.agentgateway.spring.persistence;

import java.time.Duration;

/**
 * What {@link HistoryRetention} purges and when.
 *
 * @param maxAge    records older than this are deleted
 * @param purgeCron when the purge runs (a Spring cron expression)
 * @param chunkSize rows deleted per transaction
 */
public record RetentionSettings(Duration maxAge, String purgeCron, int chunkSize) {
}
