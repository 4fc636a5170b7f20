package dev.agentgateway.spring.persistence;

import java.time.Duration;

/**
 * How a {@link JpaCallHistoryStore} queues and writes records.
 *
 * @param queueCapacity   records waiting to be written, at most
 * @param batchSize       records written in one transaction, at most
 * @param flushInterval   how long the writer waits for a batch to fill
 * @param fullQueuePolicy what an append does when the queue is full
 * @param shutdownTimeout how long shutdown waits for the queue to drain
 * @param storePayloads   whether prompts and answers are stored (else only their metadata)
 * @param maxQueryResults records a query without a limit returns, at most
 */
public record HistoryStoreSettings(int queueCapacity, int batchSize, Duration flushInterval,
                                   FullQueuePolicy fullQueuePolicy, Duration shutdownTimeout, boolean storePayloads,
                                   int maxQueryResults) {
}
