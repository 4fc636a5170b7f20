package dev.agentgateway.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JSON of a JMH run of {@link CallOverhead} ({@code -rf json}) into the Markdown tables
 * of docs/PERFORMANCE.md: medians, means, tail, allocation, overhead over each baseline, the
 * ratios to the peers and the targets.
 *
 * <pre>java -cp gateway-bench/target/benchmarks.jar dev.agentgateway.bench.Report jmh-result.json</pre>
 *
 * Overhead is a difference of medians (median of X minus median of its baseline); a ratio
 * divides the gateway's median overhead by a peer's median overhead over that peer's own direct
 * model call. Means are printed but not compared: on a machine shared with other work a few
 * descheduled calls of milliseconds move a mean by microseconds, and a median not at all.
 */
public final class Report {

    /** Governed-call overhead the issue allows, ns. */
    static final double TARGET_OVERHEAD_NS = 5_000;
    /** H2-persisted history may cost at most this many times the in-memory governed call (b3 / b2). */
    static final double TARGET_H2_FACTOR = 2.0;
    /** The gateway over HTTP may take at most this many times the raw Spring AI call (h2 / h1). */
    static final double TARGET_HTTP_RATIO = 1.05;

    record Result(double median, double p90, double mean, double p99, double meanError, double allocPerOp, long samples) {
    }

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Report <jmh-result.json>");
            System.exit(2);
        }
        JsonNode root = JsonMapper.builder().build().readTree(new File(args[0]));
        Map<Integer, Map<String, Result>> byThreads = new TreeMap<>();
        for (JsonNode run : root) {
            String name = run.get("benchmark").asString();
            String method = name.substring(name.lastIndexOf('.') + 1);
            int threads = run.get("threads").asInt();
            JsonNode primary = run.get("primaryMetric");
            JsonNode percentiles = primary.get("scorePercentiles");
            JsonNode secondary = run.get("secondaryMetrics");
            double alloc = Double.NaN;
            if (secondary != null) {
                for (String key : new String[] {"gc.alloc.rate.norm", "·gc.alloc.rate.norm"}) {
                    if (secondary.has(key)) {
                        alloc = secondary.get(key).get("score").asDouble();
                    }
                }
            }
            long samples = 0;
            JsonNode histogram = primary.get("rawDataHistogram");
            if (histogram != null) {
                for (JsonNode fork : histogram) {
                    for (JsonNode iteration : fork) {
                        for (JsonNode bucket : iteration) {
                            samples += bucket.get(1).asLong();
                        }
                    }
                }
            }
            byThreads.computeIfAbsent(threads, t -> new LinkedHashMap<>()).put(method, new Result(
                    percentiles.get("50.0").asDouble(), percentiles.get("90.0").asDouble(), primary.get("score").asDouble(), percentiles.get("99.0").asDouble(),
                    primary.get("scoreError").asDouble(), alloc, samples));
        }
        byThreads.forEach(Report::printTables);
    }

    private static void printTables(int threads, Map<String, Result> r) {
        System.out.printf("%n### %d thread%s%n%n", threads, threads == 1 ? "" : "s");
        System.out.println("| benchmark | median ns | p90 ns | p99 ns | mean ns (± 99.9% CI) | alloc B/op | samples | median overhead ns | over |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        r.forEach((name, x) -> {
            String base = baselineOf(name);
            String overhead = base == null || !r.containsKey(base) ? "" : fmt(x.median - r.get(base).median);
            System.out.printf(Locale.ROOT, "| `%s` | %s | %s | %s | %s ± %s | %s | %,d | %s | %s |%n", name, fmt(x.median),
                    fmt(x.p90), fmt(x.p99), fmt(x.mean), fmt(x.meanError), fmt(x.allocPerOp), x.samples, overhead,
                    base == null ? "" : "`" + base + "`");
        });

        System.out.printf("%n| comparison (%d thread%s), from medians | value |%n|---|---:|%n", threads, threads == 1 ? "" : "s");
        line(r, "governed call overhead, ns (target ≤ 5 000)", "b2_gateway_governed", "a1_llmClient_direct", null, null);
        line(r, "bare gateway call overhead, ns", "b1_gateway_bare", "a1_llmClient_direct", null, null);
        line(r, "Spring AI ChatClient overhead, ns", "c1_springAi_chatClient", "a2_springAi_chatModel_direct", null, null);
        line(r, "Spring AI ChatClient (no tool advisor) overhead, ns", "c2_springAi_chatClient_noToolAdvisor",
                "a2_springAi_chatModel_direct", null, null);
        line(r, "Spring AI ChatClient + GatewayAdvisor (governed) overhead, ns", "c3_springAi_chatClient_gatewayAdvisor",
                "a2_springAi_chatModel_direct", null, null);
        line(r, "GatewayAdvisor's own cost (c3 − c1), ns", "c3_springAi_chatClient_gatewayAdvisor", "c1_springAi_chatClient",
                null, null);
        line(r, "LangChain4j AI service overhead, ns", "d1_langchain4j_aiService", "a3_langchain4j_chatModel_direct", null, null);
        line(r, "ratio governed / Spring AI ChatClient (target < 1.0)", "b2_gateway_governed", "a1_llmClient_direct",
                "c1_springAi_chatClient", "a2_springAi_chatModel_direct");
        line(r, "ratio governed / Spring AI ChatClient without tool advisor", "b2_gateway_governed", "a1_llmClient_direct",
                "c2_springAi_chatClient_noToolAdvisor", "a2_springAi_chatModel_direct");
        line(r, "ratio governed / LangChain4j AI service", "b2_gateway_governed", "a1_llmClient_direct",
                "d1_langchain4j_aiService", "a3_langchain4j_chatModel_direct");
        line(r, "ratio bare gateway / Spring AI ChatClient", "b1_gateway_bare", "a1_llmClient_direct",
                "c1_springAi_chatClient", "a2_springAi_chatModel_direct");
        line(r, "ratio bare gateway / LangChain4j AI service", "b1_gateway_bare", "a1_llmClient_direct",
                "d1_langchain4j_aiService", "a3_langchain4j_chatModel_direct");
        line(r, "callWithTools overhead over the hand-written loop, ns per run (4 model + 3 tool calls)",
                "e2_gateway_callWithTools", "e1_toolLoop_direct", null, null);
        line(r, "callWithTools with tools run inline, overhead over the hand-written loop, ns per run",
                "e3_gateway_callWithTools_inlineTools", "e1_toolLoop_direct", null, null);
        line(r, "cost of running the 3 tool calls on the gateway's pool (e2 − e3), ns per run",
                "e2_gateway_callWithTools", "e3_gateway_callWithTools_inlineTools", null, null);
        line(r, "H2-persisted history: governed overhead with H2 (b3 − a1), ns", "b3_gateway_governed_h2",
                "a1_llmClient_direct", null, null);
        line(r, "ratio H2-persisted / in-memory governed overhead ((b3 − a1) / (b2 − a1), target ≤ 2)",
                "b3_gateway_governed_h2", "a1_llmClient_direct", "b2_gateway_governed", "a1_llmClient_direct");
        timeRatio(r, "ratio H2-persisted / in-memory governed call, medians (b3 / b2)", "b3_gateway_governed_h2",
                "b2_gateway_governed", false);
        timeRatio(r, "ratio H2-persisted / in-memory governed call, means (b3 / b2)", "b3_gateway_governed_h2",
                "b2_gateway_governed", true);
        line(r, "HTTP: gateway (governed) over raw Spring AI OpenAI (h2 − h1), ns", "h2_gateway_openAi_http",
                "h1_springAi_openAi_http", null, null);
        line(r, "HTTP: the OpenAI adapter alone over raw Spring AI (h3 − h1), ns", "h3_openAiAdapter_direct_http",
                "h1_springAi_openAi_http", null, null);
        line(r, "HTTP: governance on top of the adapter (h2 − h3), ns", "h2_gateway_openAi_http",
                "h3_openAiAdapter_direct_http", null, null);
        timeRatio(r, "HTTP ratio gateway / raw Spring AI, medians (h2 / h1, target ≤ 1.05)", "h2_gateway_openAi_http",
                "h1_springAi_openAi_http", false);
        timeRatio(r, "HTTP ratio gateway / raw Spring AI, means (h2 / h1)", "h2_gateway_openAi_http",
                "h1_springAi_openAi_http", true);
        timeRatio(r, "HTTP ratio adapter alone / raw Spring AI, medians (h3 / h1)", "h3_openAiAdapter_direct_http",
                "h1_springAi_openAi_http", false);
        if (r.containsKey("b2_gateway_governed") && r.containsKey("a1_llmClient_direct")) {
            double overhead = r.get("b2_gateway_governed").median - r.get("a1_llmClient_direct").median;
            System.out.printf(Locale.ROOT, "%nTarget median governed overhead ≤ 5 µs on %d thread%s: %s (%s ns)%n", threads,
                    threads == 1 ? "" : "s", overhead <= TARGET_OVERHEAD_NS ? "MET" : "MISSED", fmt(overhead));
        }
        if (r.containsKey("b3_gateway_governed_h2") && r.containsKey("b2_gateway_governed") && r.containsKey("a1_llmClient_direct")) {
            double factor = ratio(r, "b3_gateway_governed_h2", "a1_llmClient_direct", "b2_gateway_governed", "a1_llmClient_direct", true);
            System.out.printf(Locale.ROOT, "Target H2-persisted history ≤ %.0f× in-memory on %d thread%s: %s (overhead ratio %.2f)%n",
                    TARGET_H2_FACTOR, threads, threads == 1 ? "" : "s", factor <= TARGET_H2_FACTOR ? "MET" : "MISSED", factor);
        }
        if (r.containsKey("h2_gateway_openAi_http") && r.containsKey("h1_springAi_openAi_http")) {
            double ratio = r.get("h2_gateway_openAi_http").median / r.get("h1_springAi_openAi_http").median;
            System.out.printf(Locale.ROOT, "Target HTTP ratio gateway / raw Spring AI ≤ %.2f on %d thread%s: %s (median ratio %.3f)%n",
                    TARGET_HTTP_RATIO, threads, threads == 1 ? "" : "s", ratio <= TARGET_HTTP_RATIO ? "MET" : "MISSED", ratio);
        }
        if (r.containsKey("c1_springAi_chatClient")) {
            double ratio = ratio(r, "b2_gateway_governed", "a1_llmClient_direct", "c1_springAi_chatClient",
                    "a2_springAi_chatModel_direct", true);
            System.out.printf(Locale.ROOT, "Target governed overhead below Spring AI ChatClient's on %d thread%s: %s (ratio %.2f)%n",
                    threads, threads == 1 ? "" : "s", ratio < 1.0 ? "MET" : "MISSED", ratio);
        }
    }

    private static void timeRatio(Map<String, Result> r, String label, String x, String y, boolean mean) {
        if (r.containsKey(x) && r.containsKey(y)) {
            System.out.printf(Locale.ROOT, "| %s | %.3f |%n", label, mean ? r.get(x).mean / r.get(y).mean
                    : r.get(x).median / r.get(y).median);
        }
    }

    private static void line(Map<String, Result> r, String label, String x, String xBase, String y, String yBase) {
        if (!r.containsKey(x) || !r.containsKey(xBase) || (y != null && (!r.containsKey(y) || !r.containsKey(yBase)))) {
            return;
        }
        if (y == null) {
            System.out.printf(Locale.ROOT, "| %s | %s |%n", label, fmt(r.get(x).median - r.get(xBase).median));
        } else {
            System.out.printf(Locale.ROOT, "| %s | %.2f |%n", label, ratio(r, x, xBase, y, yBase, true));
        }
    }

    private static double ratio(Map<String, Result> r, String x, String xBase, String y, String yBase, boolean median) {
        double ox = median ? r.get(x).median - r.get(xBase).median : r.get(x).mean - r.get(xBase).mean;
        double oy = median ? r.get(y).median - r.get(yBase).median : r.get(y).mean - r.get(yBase).mean;
        return ox / oy;
    }

    private static String baselineOf(String name) {
        if (name.startsWith("b")) {
            return "a1_llmClient_direct";
        }
        if (name.startsWith("c")) {
            return "a2_springAi_chatModel_direct";
        }
        if (name.startsWith("d")) {
            return "a3_langchain4j_chatModel_direct";
        }
        if (name.startsWith("h2") || name.startsWith("h3")) {
            return "h1_springAi_openAi_http";
        }
        if (name.startsWith("e2") || name.startsWith("e3")) {
            return "e1_toolLoop_direct";
        }
        return null;
    }

    private static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
