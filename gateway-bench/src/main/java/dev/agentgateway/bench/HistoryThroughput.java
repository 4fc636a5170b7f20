package dev.agentgateway.bench;

import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How many call records per second the starter's JPA history store writes into H2, with the
 * starter's default settings (queue 10 000, batches of 200, block when full, payloads stored).
 * One thread appends the records of real governed calls (taken from a gateway's in-memory
 * history beforehand and stamped with the time of appending, so the producer costs next to
 * nothing and the indexed times grow as in production) as fast as the store takes them; a
 * round ends when the writer has stored them all. Records per second is records over that time;
 * the writer thread's CPU per record comes from {@link ThreadMXBean}. The tables are emptied
 * between rounds, outside the measurement.
 *
 * <pre>
 * java -Xms2g -Xmx2g -cp gateway-bench/target/benchmarks.jar dev.agentgateway.bench.HistoryThroughput
 *      [--records 300000] [--rounds 5] [--url jdbc:h2:mem:agw-bench;DB_CLOSE_DELAY=-1]
 * </pre>
 */
public final class HistoryThroughput {

    private static final String WRITER_THREAD = "agent-gateway-history-writer";

    private HistoryThroughput() {
    }

    public static void main(String[] args) {
        int records = Integer.parseInt(Soak.option(args, "--records", "300000"));
        int rounds = Integer.parseInt(Soak.option(args, "--rounds", "5"));
        String url = Soak.option(args, "--url", H2HistoryContext.IN_MEMORY_URL);
        List<CallRecord> calls = governedCallRecords(1_000);
        System.out.printf(Locale.ROOT, "History writer: %,d records a round, %d rounds, %s%n", records, rounds, url);
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        try (ConfigurableApplicationContext context = H2HistoryContext.start(url)) {
            JpaCallHistoryStore store = (JpaCallHistoryStore) context.getBean(CallHistoryStore.class);
            for (int round = 1; round <= rounds; round++) {
                store.clear();
                long writtenBefore = store.writtenCount();
                long cpuBefore = writerCpu();
                long started = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    store.append(atNow(calls.get(i % calls.size())));
                }
                long appended = System.nanoTime();
                while (store.writtenCount() - writtenBefore < records) {
                    LockSupport.parkNanos(100_000);
                }
                long elapsed = System.nanoTime() - started;
                long cpu = writerCpu() - cpuBefore;
                System.out.printf(Locale.ROOT, "round %d: %,9.0f records/s, writer CPU %,6.0f ns/record, "
                                + "appending took %,5d ms of %,5d ms, %,d dropped, %,d failed in all; load %s%n", round,
                        records * 1e9 / elapsed, (double) cpu / records, (appended - started) / 1_000_000,
                        elapsed / 1_000_000, store.droppedCount(), store.failedCount(), loadAverage());
            }
            store.clear();
        }
    }

    /** The history records of {@code count} governed calls, exactly as the gateway hands them to a store. */
    static List<CallRecord> governedCallRecords(int count) {
        try (Gateway gateway = Fixtures.governedGateway(count)) {
            for (int i = 0; i < count; i++) {
                String workflowId = "throughput-run-" + (i / 10);
                gateway.call(Fixtures.governedCall((i & 1) == 0 ? Fixtures.PROMPT_A : Fixtures.PROMPT_B, workflowId));
            }
            return gateway.getCallHistory(null, null);
        }
    }

    /** The record made now, as a gateway's records are: the time columns of the indexes grow as in production. */
    static CallRecord atNow(CallRecord r) {
        return new CallRecord(r.callId(), r.agentId(), r.provider(), r.model(), r.request(), r.response(), r.error(),
                Instant.now(), r.success(), r.cost(), r.latencyMs(), r.workflowId(), r.step(), r.tenant(), r.errorType(),
                r.priced(), r.attempt(), r.refusedBy());
    }

    static long writerCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (WRITER_THREAD.equals(thread.getName())) {
                return threads.getThreadCpuTime(thread.getId());
            }
        }
        return 0;
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
