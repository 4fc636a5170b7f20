package dev.agentgateway.bench;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * One million governed calls with history on, on one thread: the heap after a full GC at the
 * start, once the bounded history is full, every 100 000 calls, and at the end; the bytes
 * allocated per call. Exits with status 1 when the heap grew beyond the bounded history.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp gateway-bench/target/benchmarks.jar dev.agentgateway.bench.Soak
 *      [--calls 1000000] [--history 10000] [--run-length 10] [--complete-runs true] [--tolerance-kib 2048]
 *      [--history-store memory|h2] [--url jdbc:h2:file:/tmp/agw-soak]
 * </pre>
 *
 * Calls are grouped in workflow runs of {@code --run-length} calls, as a server serves many short
 * runs; with {@code --complete-runs true} (the default) each finished run is handed to
 * {@code Gateway.completeRun}, as the starter is meant to do. {@code --complete-runs false} shows
 * what an application that never completes its runs keeps.
 */
public final class Soak {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Soak() {
    }

    public static void main(String[] args) {
        long calls = Long.parseLong(option(args, "--calls", "1000000"));
        int history = Integer.parseInt(option(args, "--history", "10000"));
        int runLength = Integer.parseInt(option(args, "--run-length", "10"));
        boolean completeRuns = Boolean.parseBoolean(option(args, "--complete-runs", "true"));
        long toleranceBytes = Long.parseLong(option(args, "--tolerance-kib", "2048")) * 1024;
        long warmupCalls = Math.max(2L * history, 100_000);
        if (calls <= warmupCalls) {
            throw new IllegalArgumentException("--calls must exceed the warm-up of " + warmupCalls + " calls");
        }
        System.out.printf(Locale.ROOT, "Soak: %,d governed calls, history capacity %,d, runs of %d calls, completeRun %s%n",
                calls, history, runLength, completeRuns ? "on" : "off");
        System.out.printf(Locale.ROOT, "JVM: %s %s, max heap %,d MiB%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);

        String historyStore = option(args, "--history-store", "memory");
        ConfigurableApplicationContext h2 = null;
        JpaCallHistoryStore store = null;
        if (historyStore.equals("h2")) {
            // a file database: the rows of a million calls must not live in the heap being measured
            String url = option(args, "--url", "jdbc:h2:file:/tmp/agw-soak-" + ProcessHandle.current().pid());
            h2 = H2HistoryContext.start(url);
            store = (JpaCallHistoryStore) h2.getBean(CallHistoryStore.class);
            store.clear();
            System.out.printf(Locale.ROOT, "history: the starter's JPA store (JDBC writer) on %s, queue %,d, policy %s%n", url,
                    store.queueCapacity(), store.fullQueuePolicy());
        } else if (!historyStore.equals("memory")) {
            throw new IllegalArgumentException("--history-store is memory or h2, was " + historyStore);
        }
        try (Gateway gateway = store == null ? Fixtures.governedGateway(history)
                : Fixtures.governedBuilder(history, null).historyStore(store).build()) {
            long heapStart = heapAfterFullGc();
            report("start (gateway built, no call)", 0, heapStart, heapStart);

            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long started = System.nanoTime();
            long done = 0;
            long heapWarm = 0;
            long checkpoint = warmupCalls;
            while (done < calls) {
                long until = Math.min(calls, checkpoint);
                done = run(gateway, done, until, runLength, completeRuns);
                long heap = heapAfterFullGc();
                if (heapWarm == 0) {
                    heapWarm = heap;
                    report("history full, JIT warm", done, heap, heapStart);
                } else {
                    report("", done, heap, heapStart);
                }
                checkpoint += 100_000;
            }
            long elapsed = System.nanoTime() - started;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long heapEnd = heapAfterFullGc();

            long historyRetained = heapWarm - heapStart;
            long growth = heapEnd - heapWarm;
            System.out.println();
            System.out.printf(Locale.ROOT, "calls made:                 %,d (history holds the last %,d)%n",
                    gateway.metrics().callCount(), gateway.getCallHistory(null, null).size());
            System.out.printf(Locale.ROOT, "throughput (incl. %d full GCs): %,.0f calls/s, %,.0f ns/call%n",
                    (calls - warmupCalls) / 100_000 + 2, calls * 1e9 / elapsed, (double) elapsed / calls);
            System.out.printf(Locale.ROOT, "allocated per call:         %,.0f bytes%n", (double) allocated / calls);
            System.out.printf(Locale.ROOT, "heap at start:              %,d KiB%n", heapStart >> 10);
            System.out.printf(Locale.ROOT, "heap with history full:     %,d KiB (bounded history and warm caches: %,d KiB)%n",
                    heapWarm >> 10, historyRetained >> 10);
            System.out.printf(Locale.ROOT, "heap at end:                %,d KiB%n", heapEnd >> 10);
            System.out.printf(Locale.ROOT, "growth beyond the history:  %,d KiB over %,d calls (%.2f bytes/call); tolerance %,d KiB%n",
                    growth >> 10, calls - warmupCalls, (double) growth / (calls - warmupCalls), toleranceBytes >> 10);
            boolean complete = true;
            if (store != null) {
                long blockedAtEnd = store.blockedCount();
                store.flush();
                long rows = store.count(HistoryQuery.all());
                complete = rows == calls && store.droppedCount() == 0 && store.failedCount() == 0;
                System.out.printf(Locale.ROOT, "history in H2:              %,d rows for %,d calls; written %,d, dropped %,d, failed %,d%n",
                        rows, calls, store.writtenCount(), store.droppedCount(), store.failedCount());
                System.out.printf(Locale.ROOT, "callers blocked:            %,d times (queue full, policy %s)%n", blockedAtEnd,
                        store.fullQueuePolicy());
                System.out.println(complete ? "RESULT: COMPLETE - every call's record is stored" : "RESULT: INCOMPLETE - records missing");
            }
            boolean flat = growth <= toleranceBytes;
            System.out.println(flat ? "RESULT: FLAT - the heap does not grow beyond the bounded history"
                    : "RESULT: GROWING - the heap grew beyond the bounded history");
            if (!flat || !complete) {
                System.exit(1);
            }
        } finally {
            if (h2 != null) {
                h2.close();
            }
        }
    }

    private static long run(Gateway gateway, long from, long until, int runLength, boolean completeRuns) {
        long blackhole = 0;
        for (long i = from; i < until; i++) {
            String workflowId = "soak-run-" + (i / runLength);
            String prompt = (i & 1) == 0 ? Fixtures.PROMPT_A : Fixtures.PROMPT_B;
            LlmResponse response = gateway.call(Fixtures.governedCall(prompt, workflowId));
            blackhole += response.outputTokens();
            if (completeRuns && (i + 1) % runLength == 0) {
                gateway.completeRun(workflowId);
            }
        }
        if (blackhole == 42) {
            System.out.print("");
        }
        return until;
    }

    private static long heapAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void report(String label, long calls, long heap, long heapStart) {
        System.out.printf(Locale.ROOT, "after %,10d calls: heap after full GC %,8d KiB (%+,d KiB) %s%n", calls, heap >> 10,
                (heap - heapStart) >> 10, label);
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
