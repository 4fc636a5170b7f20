package dev.agentgateway.bench;

import dev.agentgateway.autoconfigure.persistence.GatewayPersistenceAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.spring.persistence.JpaBudgetLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared ledger from outside: {@code --jvms} JVMs with {@code --threads} threads each, every
 * one an application with the starter's JPA ledger on one embedded PostgreSQL, calling a governed
 * gateway with a no-op provider as fast as they can. Every call reserves and settles on the global
 * scope, which has a step limit and a budget far away (so every call is reserved, none refused),
 * and on its JVM's agent scope. After a warm-up, each JVM times every call for {@code --seconds};
 * the harness prints the aggregate calls per second, the median and 99th percentile of the time a
 * call takes (the added latency: the provider costs nothing), and checks the totals: the global
 * scope's committed steps equal the calls the JVMs made, which equal the successful calls their
 * histories recorded, and nothing stays reserved.
 *
 * <pre>
 * java -cp gateway-bench/target/benchmarks.jar dev.agentgateway.bench.LedgerThroughput --jvms 3 --threads 16
 * </pre>
 *
 * Not a JMH benchmark and not run by {@code mvn verify}.
 */
public final class LedgerThroughput {

    private static final BigDecimal COST = new BigDecimal("0.0001");

    private LedgerThroughput() {
    }

    /** The application of each JVM: a DataSource, Hibernate, transactions and the starter's persistence (its ledger). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
            TransactionAutoConfiguration.class, GatewayPersistenceAutoConfiguration.class})
    public static class LedgerContext {

        static ConfigurableApplicationContext start(String url, int poolSize) {
            return new SpringApplicationBuilder(LedgerContext.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .properties(
                            "spring.datasource.url=" + url,
                            "spring.datasource.username=postgres",
                            "spring.datasource.password=postgres",
                            "spring.datasource.hikari.maximum-pool-size=" + poolSize,
                            "agent-gateway.jdbc.initialize-schema=always",
                            "agent-gateway.persistence.retention.enabled=false",
                            "logging.level.root=WARN")
                    .run();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args);
            return;
        }
        int jvms = intOption(args, "--jvms", 3);
        int threads = intOption(args, "--threads", 16);
        int warmup = intOption(args, "--warmup", 10);
        int seconds = intOption(args, "--seconds", 20);
        String heap = stringOption(args, "--heap", "384m");
        coordinate(jvms, threads, warmup, seconds, heap);
    }

    // ---- the coordinator -----------------------------------------------------------------------

    private static void coordinate(int jvms, int threads, int warmup, int seconds, String heap) throws Exception {
        String loadBefore = loadAverage();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                // a throw-away database, as in the persistence tests: commits are not forced to disk
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .start()) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            try (ConfigurableApplicationContext context = LedgerContext.start(url, 2)) {
                JpaBudgetLedger ledger = context.getBean(JpaBudgetLedger.class);
                ledger.reset();
                List<Child> children = new ArrayList<>();
                for (int i = 0; i < jvms; i++) {
                    children.add(Child.start(url, i, threads, warmup, seconds, heap));
                }
                for (Child child : children) {
                    child.awaitLine("READY");
                }
                for (Child child : children) {
                    child.send("GO");
                }
                List<Result> results = new ArrayList<>();
                for (Child child : children) {
                    results.add(child.awaitResult());
                }
                report(jvms, threads, warmup, seconds, loadBefore, results, ledger.usage(LimitScope.global()));
            }
        }
    }

    private record Result(int jvm, long totalCalls, long recorded, long measuredCalls, long[] latencies, long refused) {
    }

    private static void report(int jvms, int threads, int warmup, int seconds, String loadBefore, List<Result> results,
                               ScopeUsage global) {
        long measured = results.stream().mapToLong(Result::measuredCalls).sum();
        long total = results.stream().mapToLong(Result::totalCalls).sum();
        long recorded = results.stream().mapToLong(Result::recorded).sum();
        long refused = results.stream().mapToLong(Result::refused).sum();
        long[] all = results.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
        System.out.printf(Locale.ROOT, "LedgerThroughput: %d JVMs x %d threads, embedded PostgreSQL, warm-up %d s, measured %d s%n",
                jvms, threads, warmup, seconds);
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", cores " + Runtime.getRuntime().availableProcessors());
        System.out.println("load average before: " + loadBefore + ", after: " + loadAverage());
        for (Result result : results) {
            long[] own = result.latencies().clone();
            Arrays.sort(own);
            System.out.printf(Locale.ROOT, "  JVM %d: %,.0f calls/s, median %s, p99 %s%n", result.jvm(),
                    result.measuredCalls() / (double) seconds, micros(percentile(own, 0.50)), micros(percentile(own, 0.99)));
        }
        System.out.printf(Locale.ROOT, "aggregate:        %,.0f calls/s%n", measured / (double) seconds);
        System.out.printf(Locale.ROOT, "added latency:    median %s, p90 %s, p99 %s, max %s (%,d calls timed)%n",
                micros(percentile(all, 0.50)), micros(percentile(all, 0.90)), micros(percentile(all, 0.99)),
                micros(all.length == 0 ? 0 : all[all.length - 1]), all.length);
        System.out.printf(Locale.ROOT, "calls made:       %,d (refused: %d)%n", total, refused);
        System.out.printf(Locale.ROOT, "history recorded: %,d successful calls%n", recorded);
        System.out.printf(Locale.ROOT, "ledger (global):  %,d committed steps, $%s committed, %d reserved steps, $%s reserved%n",
                global.committedSteps(), global.committedCost().toPlainString(), global.reservedSteps(),
                global.reservedCost().toPlainString());
        boolean exact = global.committedSteps() == total && recorded == total && global.reservedSteps() == 0
                && global.reservedCost().signum() == 0
                && global.committedCost().compareTo(COST.multiply(BigDecimal.valueOf(total))) == 0;
        System.out.println("TOTALS: " + (exact ? "EXACT (ledger = calls made = history, nothing reserved)" : "MISMATCH"));
        if (!exact) {
            System.exit(1);
        }
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    private static String micros(long nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One child JVM, driven through its standard input and output. */
    private static final class Child {
        private final int jvm;
        private final Process process;
        private final BufferedReader out;
        private final Path samples;

        private Child(int jvm, Process process, Path samples) {
            this.jvm = jvm;
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.samples = samples;
        }

        static Child start(String url, int jvm, int threads, int warmup, int seconds, String heap) throws IOException {
            Path samples = Files.createTempFile("agw-ledger-" + jvm, ".bin");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xms" + heap, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                    LedgerThroughput.class.getName(), "--child", url, String.valueOf(jvm), String.valueOf(threads),
                    String.valueOf(warmup), String.valueOf(seconds), samples.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Child(jvm, process, samples);
        }

        String awaitLine(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                System.out.println("  [JVM " + jvm + "] " + line);
            }
            throw new IllegalStateException("JVM " + jvm + " ended before printing " + prefix);
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        Result awaitResult() throws Exception {
            String[] fields = awaitLine("RESULT").split(" ");
            process.waitFor();
            long[] latencies;
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(samples)))) {
                latencies = new long[in.readInt()];
                for (int i = 0; i < latencies.length; i++) {
                    latencies[i] = in.readLong();
                }
            }
            Files.deleteIfExists(samples);
            return new Result(jvm, Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]), latencies,
                    Long.parseLong(fields[4]));
        }
    }

    // ---- one JVM -------------------------------------------------------------------------------

    private static void child(String[] args) throws Exception {
        String url = args[1];
        int jvm = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        long warmupNanos = Long.parseLong(args[4]) * 1_000_000_000L;
        long measureNanos = Long.parseLong(args[5]) * 1_000_000_000L;
        Path samples = Path.of(args[6]);
        ConfigurableApplicationContext context = LedgerContext.start(url, threads + 4);
        CountingHistory history = new CountingHistory();
        // far from both limits: every call is reserved and settled on the global scope, none refused
        ExecutionLimits limits = ExecutionLimits.builder().maxSteps(2_000_000_000).maxBudget("100000000").build();
        Gateway gateway = Gateway.builder().limits(limits).budgetLedger(context.getBean(JpaBudgetLedger.class))
                .historyStore(history).provider("noop", new PricedNoop()).build();
        String agent = "bench-" + jvm;
        // a few calls before the clock starts: the first ones create the rows
        for (int i = 0; i < 10; i++) {
            gateway.call(call(agent, i));
        }
        long before = 10;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        System.out.flush();
        if (!"GO".equals(in.readLine())) {
            throw new IllegalStateException("expected GO");
        }
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        AtomicLong calls = new AtomicLong(before);
        AtomicLong measured = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long[][] timings = new long[threads][];
        int[] counts = new int[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                long[] own = new long[1 << 16];
                int n = 0;
                long made = 0;
                try {
                    while (true) {
                        long begin = System.nanoTime();
                        if (begin >= end) {
                            break;
                        }
                        try {
                            gateway.call(call(agent, made));
                        } catch (RuntimeException e) {
                            refused.incrementAndGet();
                            continue;
                        }
                        long took = System.nanoTime() - begin;
                        made++;
                        if (begin >= measureFrom) {
                            if (n == own.length) {
                                own = Arrays.copyOf(own, own.length * 2);
                            }
                            own[n++] = took;
                        }
                    }
                } finally {
                    calls.addAndGet(made);
                    measured.addAndGet(n);
                    timings[thread] = own;
                    counts[thread] = n;
                    done.countDown();
                }
            }, "caller-" + t);
            worker.start();
        }
        done.await();
        gateway.close();
        context.close(); // the ledger writes what it has settled and gives its slices back
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(samples)))) {
            out.writeInt((int) measured.get());
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < counts[t]; i++) {
                    out.writeLong(timings[t][i]);
                }
            }
        }
        System.out.println("RESULT " + calls.get() + " " + history.successes.get() + " " + measured.get() + " " + refused.get());
        System.out.flush();
        System.exit(0);
    }

    private static GatewayCall call(String agent, long n) {
        return GatewayCall.builder().agentId(agent).provider("noop").model("m")
                .user((n & 1) == 0 ? Fixtures.PROMPT_A : Fixtures.PROMPT_B).build();
    }

    /** A no-op provider whose every call costs {@link #COST} and says so up front, so the gateway reserves money too. */
    private static final class PricedNoop implements LlmClient {
        private final LlmResponse response = new LlmResponse("ok", List.of(), 12, 8, COST, "m", "noop", 0, "stop");

        @Override
        public LlmResponse complete(LlmRequest request) {
            return response;
        }

        @Override
        public Optional<BigDecimal> estimateCost(LlmRequest request) {
            return Optional.of(COST);
        }
    }

    /** A history that keeps nothing and counts the successful calls recorded. */
    private static final class CountingHistory implements CallHistoryStore {
        final AtomicLong successes = new AtomicLong();

        @Override
        public void append(CallRecord record) {
            if (record.success()) {
                successes.incrementAndGet();
            }
        }

        @Override
        public void appendToolCall(ToolCallRecord record) {
        }

        @Override
        public List<CallRecord> find(HistoryQuery query) {
            return List.of();
        }

        @Override
        public List<ToolCallRecord> findToolCalls(HistoryQuery query) {
            return List.of();
        }

        @Override
        public void clear() {
        }
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(stringOption(args, name, String.valueOf(fallback)));
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
