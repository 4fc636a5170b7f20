package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.sun.net.httpserver.HttpServer;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.StreamAssembler;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.provider.ToolCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.JSON;
import static dev.agentgateway.spring.provider.ProviderTestSupport.firstTurn;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every provider's stream must do, replayed from its documented stream format at WireMock:
 * text arrives in pieces with the usage and model, tool calls are assembled from their deltas, a
 * stream cut half way, a malformed chunk, a reset connection and a silent server each end in a typed
 * {@link ProviderException} without the key, and a cancel closes the connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StreamingContractTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    protected WireMockServer wireMock;

    abstract LlmClientFactory factory();

    abstract String providerId();

    abstract String model();

    /** The {@code base-url} option for a server at {@code root} ({@code http://127.0.0.1:port}). */
    abstract String baseUrl(String root);

    /** Fixture directory; the streams are {@code stream-text} and {@code stream-tool}. */
    abstract String fixtures();

    /** True for Server-Sent Events (events separated by a blank line), false for NDJSON (one per line). */
    abstract boolean serverSentEvents();

    abstract long textInputTokens();

    abstract long textOutputTokens();

    /** The id the tool-call fixture gives its call, or {@code null} when the provider gives none. */
    abstract String toolCallId();

    /** An event of the provider's stream format whose JSON is cut off. */
    String malformedEvent() {
        return serverSentEvents() ? "data: {\"choices\": [{\"delta\": oops" : "{\"message\": oops";
    }

    @BeforeAll
    void startWireMock() {
        wireMock = ProviderTestSupport.startWireMock();
    }

    @AfterAll
    void stopWireMock() {
        wireMock.stop();
    }

    @BeforeEach
    void resetWireMock() {
        wireMock.resetAll();
    }

    protected LlmClient client(String root, Duration timeout) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("base-url", baseUrl(root));
        options.put("model", model());
        options.put("timeout", timeout);
        return factory().create(API_KEY, options);
    }

    protected LlmClient client() {
        return client("http://127.0.0.1:" + wireMock.port(), Duration.ofSeconds(10));
    }

    protected String streamFixture(String name) {
        return fixture(fixtures() + "/" + name + (serverSentEvents() ? ".sse" : ".ndjson"));
    }

    private List<String> events(String stream) {
        String separator = serverSentEvents() ? "\n\n" : "\n";
        return new ArrayList<>(Arrays.stream(stream.split(separator)).filter(e -> !e.isBlank()).toList());
    }

    private String join(List<String> events) {
        String separator = serverSentEvents() ? "\n\n" : "\n";
        return String.join(separator, events) + separator;
    }

    protected void respondStream(String body) {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", serverSentEvents() ? "text/event-stream" : "application/x-ndjson")
                .withBody(body)));
    }

    protected LlmRequest request() {
        return firstTurn(providerId(), model());
    }

    /** What the stream delivered, and the error it ended with (or {@code null}). */
    record Outcome(List<LlmChunk> chunks, Throwable error) {
        LlmResponse response() {
            StreamAssembler assembler = new StreamAssembler(firstTurn("any", "any"));
            chunks.forEach(assembler::accept);
            return assembler.response(0, TokenCounter.standard());
        }

        String text() {
            StringBuilder text = new StringBuilder();
            chunks.stream().filter(LlmChunk.Text.class::isInstance).forEach(c -> text.append(((LlmChunk.Text) c).delta()));
            return text.toString();
        }
    }

    protected Outcome stream(LlmClient client) {
        List<LlmChunk> chunks = new ArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        JdkFlowAdapter.flowPublisherToFlux(client.stream(request()))
                .doOnNext(chunks::add)
                .onErrorResume(failure -> {
                    error.set(failure);
                    return Flux.empty();
                })
                .blockLast(WAIT);
        return new Outcome(chunks, error.get());
    }

    @Test
    void textArrivesInPiecesWithTheUsageAndTheModel() {
        respondStream(streamFixture("stream-text"));

        Outcome outcome = stream(client());

        assertThat(outcome.error()).isNull();
        assertThat(outcome.chunks()).filteredOn(LlmChunk.Text.class::isInstance).hasSizeGreaterThanOrEqualTo(3);
        LlmResponse response = outcome.response();
        assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
        assertThat(response.inputTokens()).isEqualTo(textInputTokens());
        assertThat(response.outputTokens()).isEqualTo(textOutputTokens());
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(outcome.chunks()).anyMatch(LlmChunk.Model.class::isInstance);
    }

    @Test
    void aToolCallIsAssembledFromTheStream() {
        respondStream(streamFixture("stream-tool"));

        Outcome outcome = stream(client());

        assertThat(outcome.error()).isNull();
        LlmResponse response = outcome.response();
        assertThat(response.finishReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).hasSize(1);
        ToolCall call = response.toolCalls().get(0);
        assertThat(call.name()).isEqualTo("get_current_weather");
        assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree("{\"location\":\"Boston, MA\"}"));
        if (toolCallId() != null) {
            assertThat(call.id()).isEqualTo(toolCallId());
        }
    }

    @Test
    void aStreamCutHalfWayDeliversWhatArrivedThenATypedFailure() {
        List<String> events = events(streamFixture("stream-text"));
        respondStream(join(events.subList(0, events.size() / 2)));

        Outcome outcome = stream(client());

        assertThat(outcome.text()).startsWith("Hello!");
        assertThat(outcome.error()).isInstanceOf(ProviderTimeoutException.class);
        AdapterContractTest.assertNoKeyAnywhere(outcome.error());
    }

    @Test
    void aMalformedChunkIsATypedFailure() {
        List<String> events = events(streamFixture("stream-text"));
        events.add(2, malformedEvent());
        respondStream(join(events));

        Outcome outcome = stream(client());

        assertThat(outcome.error()).isInstanceOf(ProviderException.class);
        AdapterContractTest.assertNoKeyAnywhere(outcome.error());
    }

    @Test
    void anUnauthorizedStreamIsTheBlockingPathsAuthenticationFailureWithoutTheKey() {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(fixture(fixtures() + "/error-401.json"))));

        Outcome outcome = stream(client());

        assertThat(outcome.error()).isInstanceOf(ProviderAuthenticationException.class);
        AdapterContractTest.assertNoKeyAnywhere(outcome.error());
        assertThat(ProviderTestSupport.requests(wireMock)).hasSize(1);
    }

    @Test
    void aRateLimitedStreamIsTheBlockingPathsRateLimitFailure() {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", "7")
                .withBody(fixture(fixtures() + "/error-429.json"))));

        Outcome outcome = stream(client());

        assertThat(outcome.error()).isInstanceOf(ProviderRateLimitedException.class);
        assertThat(((ProviderException) outcome.error()).isRetryable()).isTrue();
        assertThat(ProviderTestSupport.requests(wireMock)).as("no hidden SDK retry").hasSize(1);
    }

    @Test
    void aResetConnectionIsATypedFailure() {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Outcome outcome = stream(client());

        assertThat(outcome.chunks()).isEmpty();
        assertThat(outcome.error()).isInstanceOf(ProviderException.class);
        AdapterContractTest.assertNoKeyAnywhere(outcome.error());
    }

    @Test
    void aServerThatSendsNothingTimesOut() {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", serverSentEvents() ? "text/event-stream" : "application/x-ndjson")
                .withBody(streamFixture("stream-text")).withFixedDelay(5_000)));

        Outcome outcome = stream(client("http://127.0.0.1:" + wireMock.port(), Duration.ofMillis(500)));

        assertThat(outcome.error()).isInstanceOf(ProviderTimeoutException.class);
    }

    @Test
    void aCancelAfterSomeChunksClosesTheProviderConnection() throws Exception {
        List<String> events = events(streamFixture("stream-text"));
        String separator = serverSentEvents() ? "\n\n" : "\n";
        CountDownLatch closedByClient = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", serverSentEvents() ? "text/event-stream" : "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                // the events before the first text once, then that text event again and again
                int firstText = 0;
                while (!events.get(firstText).contains("Hello!")) {
                    body.write((events.get(firstText++) + separator).getBytes(StandardCharsets.UTF_8));
                }
                for (int sent = 0; sent < 2_000; sent++) {
                    body.write((events.get(firstText) + separator).getBytes(StandardCharsets.UTF_8));
                    body.flush();
                    Thread.sleep(20);
                }
            } catch (IOException closed) {
                closedByClient.countDown();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        try {
            LlmClient client = client("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(10));

            List<LlmChunk> received = JdkFlowAdapter.flowPublisherToFlux(client.stream(request()))
                    .filter(LlmChunk.Text.class::isInstance).take(3).collectList().block(WAIT);

            assertThat(received).hasSize(3);
            assertThat(closedByClient.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the server saw the connection closed after the cancel").isTrue();
        } finally {
            server.stop(0);
        }
    }
}
