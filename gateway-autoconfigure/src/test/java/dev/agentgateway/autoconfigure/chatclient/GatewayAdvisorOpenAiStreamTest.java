package dev.agentgateway.autoconfigure.chatclient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.spring.provider.ProviderTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A ChatClient over Spring AI's OpenAI model, streaming through the advisor from WireMock replaying
 * OpenAI's documented {@code chat.completion.chunk} stream: usage from its usage chunk, a stream cut
 * half way, an unauthorized stream, and a cancel that closes the connection, each settled once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAdvisorOpenAiStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MODEL = "gpt-4o-mini";
    private static final TokenCounter TOKENS = TokenCounter.standard();

    private WireMockServer wireMock;
    private Gateway gateway;

    @BeforeAll
    void startWireMock() {
        wireMock = ProviderTestSupport.startWireMock();
    }

    @AfterAll
    void stopWireMock() {
        wireMock.stop();
    }

    @BeforeEach
    void resetWireMockAndTheGateway() {
        wireMock.resetAll();
        gateway = Gateway.builder().limits(ExecutionLimits.builder().maxSteps(10).build()).build();
    }

    private ChatClient client(String root) {
        OpenAiChatModel model = OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
                .baseUrl(root + "/v1").apiKey(API_KEY).model(MODEL).maxRetries(0).build()).build();
        return ChatClient.builder(model)
                .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").defaultModel(MODEL).build()).build();
    }

    private ChatClient client() {
        return client("http://127.0.0.1:" + wireMock.port());
    }

    private static List<String> events(String stream) {
        return new ArrayList<>(Arrays.stream(stream.split("\n\n")).filter(e -> !e.isBlank()).toList());
    }

    private void respondStream(List<String> events) {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(String.join("\n\n", events) + "\n\n")));
    }

    private ScopeUsage global() {
        return gateway.usage(LimitScope.global());
    }

    private CallRecord onlyRecord() {
        List<CallRecord> history = gateway.getCallHistory("assistant", null);
        assertThat(history).hasSize(1);
        return history.get(0);
    }

    private static void assertNoKeyAnywhere(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(API_KEY);
    }

    @Test
    void theStreamedAnswerArrivesInPiecesAndIsChargedTheUsageOpenAiReported() {
        respondStream(events(fixture("openai/stream-text.sse")));

        List<String> pieces = client().prompt().user("Hello").stream().content().collectList().block(WAIT);

        assertThat(String.join("", pieces)).isEqualTo("Hello! How can I assist you today?");
        assertThat(pieces.size()).isGreaterThanOrEqualTo(3);
        CallRecord record = onlyRecord();
        assertThat(record.success()).isTrue();
        assertThat(record.inputTokens()).isEqualTo(19);
        assertThat(record.outputTokens()).isEqualTo(10);
        assertThat(record.response().finishReason()).isEqualTo("stop");
        assertThat(global().committedCost()).isEqualByComparingTo(record.cost());
        assertThat(global().reservedCost()).isEqualByComparingTo("0");
        assertThat(ProviderTestSupport.lastBody(wireMock).path("stream").asBoolean(false)).isTrue();
    }

    @Test
    void aStreamCutHalfWayIsATypedTimeOutWithThePartialAnswerChargedAndRecorded() {
        List<String> events = events(fixture("openai/stream-text.sse"));
        respondStream(events.subList(0, 3)); // the role, "Hello!" and " How can I": no finish, no usage
        List<String> pieces = new ArrayList<>();

        assertThatThrownBy(() -> client().prompt().user("Hello").stream().content().doOnNext(pieces::add).blockLast(WAIT))
                .isInstanceOf(ProviderTimeoutException.class)
                .satisfies(GatewayAdvisorOpenAiStreamTest::assertNoKeyAnywhere);

        String received = String.join("", pieces);
        assertThat(received).isEqualTo("Hello! How can I");
        CallRecord record = onlyRecord();
        assertThat(record.success()).isFalse();
        assertThat(record.response().content()).isEqualTo(received);
        assertThat(record.response().finishReason()).isEqualTo("error");
        assertThat(record.outputTokens()).isEqualTo(TOKENS.tokens(MODEL, received));
        assertThat(global().committedCost()).isEqualByComparingTo(record.cost());
        assertThat(global().reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void anUnauthorizedStreamIsTheTypedAuthenticationFailureWithoutTheKeyAndChargesNothing() {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(fixture("openai/error-401.json"))));

        assertThatThrownBy(() -> client().prompt().user("Hello").stream().content().blockLast(WAIT))
                .isInstanceOf(ProviderAuthenticationException.class)
                .satisfies(GatewayAdvisorOpenAiStreamTest::assertNoKeyAnywhere);

        assertThat(onlyRecord().success()).isFalse();
        assertThat(onlyRecord().error()).doesNotContain(API_KEY);
        assertThat(global().committedCost()).isEqualByComparingTo("0");
        assertThat(global().reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void aCancelAfterSomePiecesClosesTheConnectionAndChargesWhatWasReceived() throws Exception {
        List<String> events = events(fixture("openai/stream-text.sse"));
        CountDownLatch closedByClient = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write((events.get(0) + "\n\n").getBytes(StandardCharsets.UTF_8));
                for (int sent = 0; sent < 2_000; sent++) { // "Hello!" again and again, never a finish
                    body.write((events.get(1) + "\n\n").getBytes(StandardCharsets.UTF_8));
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
            List<String> pieces = client("http://127.0.0.1:" + server.getAddress().getPort())
                    .prompt().user("Hello").stream().content().take(3).collectList().block(WAIT);

            assertThat(pieces).containsExactly("Hello!", "Hello!", "Hello!");
            assertThat(closedByClient.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the server saw the connection closed after the cancel").isTrue();
            CallRecord record = onlyRecord();
            assertThat(record.response().finishReason()).isEqualTo("cancelled");
            assertThat(record.outputTokens()).isEqualTo(TOKENS.tokens(MODEL, "Hello!Hello!Hello!"));
            assertThat(global().committedCost()).isEqualByComparingTo(record.cost());
            assertThat(global().reservedCost()).isEqualByComparingTo("0");
        } finally {
            server.stop(0);
        }
    }
}
