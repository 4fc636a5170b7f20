package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.provider.ToolCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.firstTurn;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.lastBody;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What every provider adapter must do against the provider's documented responses, replayed by
 * WireMock: answers, tool calls, usage, and each kind of failure as a typed exception with exactly
 * one request sent (the SDK's retries are off) and no API key in any message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdapterContractTest {

    protected WireMockServer wireMock;

    /** The provider id the factory serves. */
    abstract String providerId();

    abstract LlmClientFactory factory();

    /** Base URL of the provider at WireMock, as the {@code base-url} option takes it. */
    abstract String baseUrl();

    /** The folder of this provider's fixtures under {@code provider/}. */
    abstract String fixtures();

    /** The model asked for in the requests. */
    abstract String model();

    /** The model the plain fixture says answered. */
    abstract String answeringModel();

    abstract long plainInputTokens();

    abstract long plainOutputTokens();

    /** Whether the provider's tool calls carry ids (else the adapter generates them). */
    abstract boolean providerGivesToolCallIds();

    /** Whether the SDK exposes the Retry-After header of a 429. */
    abstract boolean exposesRetryAfter();

    /** The output cap where this provider's API carries it in the request body. */
    abstract JsonNode sentMaxTokens(JsonNode body);

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

    protected String wireMockUrl() {
        return "http://127.0.0.1:" + wireMock.port();
    }

    protected LlmClient client() {
        return client(Duration.ofSeconds(10));
    }

    protected LlmClient client(Duration timeout) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("base-url", baseUrl());
        options.put("model", model());
        options.put("timeout", timeout);
        return factory().create(API_KEY, options);
    }

    protected void respond(ResponseDefinitionBuilder response) {
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(response));
    }

    protected void respondJson(int status, String body) {
        respond(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body));
    }

    protected LlmResponse complete(LlmRequest request) {
        return client().complete(request);
    }

    @Test
    void plainAnswerWithUsageAndModel() {
        respondJson(200, fixture(fixtures() + "/plain.json"));

        LlmResponse response = complete(firstTurn(providerId(), model()));

        assertThat(response.content()).contains("How");
        assertThat(response.hasToolCalls()).isFalse();
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.inputTokens()).isEqualTo(plainInputTokens());
        assertThat(response.outputTokens()).isEqualTo(plainOutputTokens());
        assertThat(response.model()).isEqualTo(answeringModel());
        assertThat(response.provider()).isEqualTo(providerId());
        assertThat(response.latencyMs()).isGreaterThanOrEqualTo(0);
        assertThat(response.cost()).as("priced by the gateway from its table").isNull();
        assertThat(requests(wireMock)).hasSize(1);
    }

    @Test
    void aGatewayCallWithoutMaxTokensArrivesWithTheCapTheGatewayReserved() {
        respondJson(200, fixture(fixtures() + "/plain.json"));

        try (Gateway gateway = Gateway.builder().defaultMaxOutputTokens(321).provider(providerId(), client()).build()) {
            gateway.call(GatewayCall.builder().agentId("a").provider(providerId()).model(model()).user("Hi").build());
        }

        assertThat(sentMaxTokens(lastBody(wireMock)).asInt()).isEqualTo(321);
    }

    @Test
    void toolCallAnswer() {
        respondJson(200, fixture(fixtures() + "/tool-call.json"));

        LlmResponse response = complete(firstTurn(providerId(), model()));

        assertThat(response.finishReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).hasSize(1);
        ToolCall call = response.toolCalls().get(0);
        assertThat(call.name()).isEqualTo("get_current_weather");
        assertThat(ProviderTestSupport.JSON.readTree(call.arguments()).path("location").asString()).isEqualTo("Boston, MA");
        assertThat(call.id()).isNotBlank();
        if (providerGivesToolCallIds()) {
            assertThat(call.id()).isIn("call_abc123", "toolu_01A09q90qw90lq917835lq9");
        }
    }

    @Test
    void multiToolAnswerKeepsOrderAndDistinctIds() {
        respondJson(200, fixture(fixtures() + "/multi-tool.json"));

        LlmResponse response = complete(firstTurn(providerId(), model()));

        assertThat(response.toolCalls()).extracting(ToolCall::name)
                .containsExactly("get_current_weather", "get_current_weather", "get_time");
        assertThat(response.toolCalls()).extracting(call -> ProviderTestSupport.JSON.readTree(call.arguments()).size())
                .containsOnly(1);
        assertThat(new HashSet<>(response.toolCalls().stream().map(ToolCall::id).toList())).hasSize(3);
        assertThat(response.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void unauthorizedIsAnAuthenticationFailureWithoutTheKey() {
        respondJson(401, fixture(fixtures() + "/error-401.json"));

        ProviderAuthenticationException failure = catchThrowableOfType(ProviderAuthenticationException.class,
                () -> complete(firstTurn(providerId(), model())));

        assertThat(failure.provider()).isEqualTo(providerId());
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("401");
        assertNoKeyAnywhere(failure);
        assertThat(requests(wireMock)).hasSize(1);
    }

    @Test
    void forbiddenIsAnAuthenticationFailure() {
        respondJson(403, fixture(fixtures() + "/error-401.json"));

        assertThatThrownBy(() -> complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderAuthenticationException.class).hasMessageContaining("403");
    }

    @Test
    void rateLimitedCarriesRetryAfter() {
        respond(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withHeader("Retry-After", "7")
                .withBody(fixture(fixtures() + "/error-429.json")));

        ProviderRateLimitedException failure = catchThrowableOfType(ProviderRateLimitedException.class,
                () -> complete(firstTurn(providerId(), model())));

        assertThat(failure.isRetryable()).isTrue();
        if (exposesRetryAfter()) {
            assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        } else {
            assertThat(failure.retryAfter()).isNull();
        }
        assertThat(requests(wireMock)).as("no hidden SDK retry").hasSize(1);
    }

    @Test
    void serverErrorCarriesStatus() {
        respondJson(500, fixture(fixtures() + "/error-500.json"));

        ProviderServerException failure = catchThrowableOfType(ProviderServerException.class,
                () -> complete(firstTurn(providerId(), model())));

        assertThat(failure.status()).isEqualTo(500);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(requests(wireMock)).as("no hidden SDK retry").hasSize(1);
    }

    @Test
    void badGatewayIsAServerError() {
        respondJson(503, fixture(fixtures() + "/error-500.json"));

        ProviderServerException failure = catchThrowableOfType(ProviderServerException.class,
                () -> complete(firstTurn(providerId(), model())));

        assertThat(failure.status()).isEqualTo(503);
        assertThat(requests(wireMock)).hasSize(1);
    }

    @Test
    void slowAnswerTimesOut() {
        respond(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(fixture(fixtures() + "/plain.json")).withFixedDelay(2_000));

        assertThatThrownBy(() -> client(Duration.ofMillis(300)).complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderTimeoutException.class)
                .satisfies(failure -> assertThat(((ProviderException) failure).isRetryable()).isTrue());
    }

    @Test
    void malformedJsonIsABadResponse() {
        respondJson(200, "{\"id\": \"x\", \"choices\": [{\"message\": {\"content\": \"Hel");

        assertThatThrownBy(() -> complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderBadResponseException.class);
    }

    @Test
    void emptyBodyIsABadResponse() {
        respondJson(200, "");

        assertThatThrownBy(() -> complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderBadResponseException.class);
    }

    @Test
    void emptyJsonObjectIsABadResponse() {
        respondJson(200, "{}");

        assertThatThrownBy(() -> complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderBadResponseException.class);
    }

    @Test
    void droppedConnectionIsATypedFailure() {
        respond(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThatThrownBy(() -> complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderException.class)
                .satisfies(failure -> assertThat(failure).isInstanceOfAny(ProviderTimeoutException.class,
                        ProviderBadResponseException.class));
    }

    @Test
    void unreachableServerIsAConnectionFailure() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("base-url", baseUrl().replace(":" + wireMock.port(), ":1"));
        options.put("model", model());
        options.put("timeout", Duration.ofSeconds(5));
        LlmClient unreachable = factory().create(API_KEY, options);

        assertThatThrownBy(() -> unreachable.complete(firstTurn(providerId(), model())))
                .isInstanceOf(ProviderTimeoutException.class);
    }

    static void assertNoKeyAnywhere(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(API_KEY);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
        }
    }

    /** Names of the tools in a request body, wherever the provider puts them. */
    static List<String> names(Iterable<tools.jackson.databind.JsonNode> nodes, String path) {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode node : nodes) {
            tools.jackson.databind.JsonNode current = node;
            for (String part : path.split("\\.")) {
                current = current.path(part);
            }
            names.add(current.asString());
        }
        return names;
    }
}
