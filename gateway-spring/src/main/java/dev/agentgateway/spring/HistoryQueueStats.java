package dev.agentgateway.spring;

/**
 * The figures of a history store that writes asynchronously through a queue, for the
 * {@code agent_gateway.history.*} meters. Any bean implementing it is measured by
 * the Actuator module's {@code HistoryQueueMeterBinder}; the method names are those the JPA history store already has.
 */
public interface HistoryQueueStats {

    /** Records waiting to be written. */
    int queueDepth();

    /** How many records the queue holds at most. */
    int queueCapacity();

    /** Records dropped because the queue was full. */
    long droppedCount();

    /** Records written to the store. */
    long writtenCount();

    /** Records the store refused. */
    long failedCount();
}
