package dev.agentgateway.spring.actuate.metrics;

import dev.agentgateway.spring.HistoryQueueStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Meters of asynchronous history stores ({@link HistoryQueueStats} beans), tagged {@code store} with
 * the bean name: gauges {@code agent_gateway.history.queue.depth} and
 * {@code agent_gateway.history.queue.capacity}, function counters {@code agent_gateway.history.dropped},
 * {@code agent_gateway.history.written} and {@code agent_gateway.history.failed}
 * (Prometheus: {@code agent_gateway_history_queue_depth}, {@code agent_gateway_history_dropped_total}, …).
 */
public class HistoryQueueMeterBinder implements MeterBinder {

    /** Gauge of records waiting to be written. */
    public static final String QUEUE_DEPTH = "agent_gateway.history.queue.depth";
    /** Gauge of the queue's capacity. */
    public static final String QUEUE_CAPACITY = "agent_gateway.history.queue.capacity";
    /** Counter of records dropped because the queue was full. */
    public static final String DROPPED = "agent_gateway.history.dropped";
    /** Counter of records written. */
    public static final String WRITTEN = "agent_gateway.history.written";
    /** Counter of records the store refused. */
    public static final String FAILED = "agent_gateway.history.failed";

    private final Supplier<Map<String, HistoryQueueStats>> stores;

    /** @param stores the stores to measure, by name (looked up when the binder is bound) */
    public HistoryQueueMeterBinder(Supplier<Map<String, HistoryQueueStats>> stores) {
        this.stores = stores;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        stores.get().forEach((name, stats) -> {
            Gauge.builder(QUEUE_DEPTH, stats, HistoryQueueStats::queueDepth)
                    .description("History records waiting to be written").tag("store", name).register(registry);
            Gauge.builder(QUEUE_CAPACITY, stats, HistoryQueueStats::queueCapacity)
                    .description("Capacity of the history write queue").tag("store", name).register(registry);
            FunctionCounter.builder(DROPPED, stats, HistoryQueueStats::droppedCount)
                    .description("History records dropped because the write queue was full").tag("store", name)
                    .register(registry);
            FunctionCounter.builder(WRITTEN, stats, HistoryQueueStats::writtenCount)
                    .description("History records written").tag("store", name).register(registry);
            FunctionCounter.builder(FAILED, stats, HistoryQueueStats::failedCount)
                    .description("History records the store refused").tag("store", name).register(registry);
        });
    }
}
