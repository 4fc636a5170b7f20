package dev.agentgateway.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for OpenAI's Chat Completions API for the HTTP benchmarks: a JDK
 * {@link HttpServer} on 127.0.0.1 and a free port that answers every {@code POST
 * /v1/chat/completions} at once with a fixed, valid {@code chat.completion} body (usage included,
 * model {@code gpt-4o-mini}, so the gateway prices it). The answer depends on the prompt as
 * {@link NoopLlmClient}'s does ("France" or not), so loop detection sees alternating answers.
 * Whoever calls it, raw Spring AI or the gateway's adapter, gets the same bytes at the same cost.
 */
final class OpenAiStub implements AutoCloseable {

    private static final byte[] ANSWER_A = completion("chatcmpl-bench-a", NoopLlmClient.ANSWER_A);
    private static final byte[] ANSWER_B = completion("chatcmpl-bench-b", NoopLlmClient.ANSWER_B);

    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong requests = new AtomicLong();
    private volatile String lastRequestBody;

    OpenAiStub() throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: every exchange then waits ~40 ms (measured: h1 median 47 ms). Read once, when
        // the server class is first used, so set it before.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        pool = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "openai-stub");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL to give a client, {@code /v1} included (the SDK appends {@code /chat/completions}). */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    long requests() {
        return requests.get();
    }

    String lastRequestBody() {
        return lastRequestBody;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String body = new String(request, StandardCharsets.UTF_8);
            lastRequestBody = body;
            requests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] answer = body.contains("France") ? ANSWER_A : ANSWER_B;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static byte[] completion(String id, String content) {
        return ("{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\","
                + "\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
                + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
