package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ToolCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request bodies the OpenAI adapter sends validate against OpenAI's published OpenAPI
 * description ({@code components.schemas.CreateChatCompletionRequest} of the copy of
 * shared/specs/openai-openapi.yaml in the test resources); the response fixtures validate against
 * {@code CreateChatCompletionResponse}.
 */
class OpenAiRequestSchemaTest {

    /** Where the spec is registered with the validator (never fetched: it is given as content). */
    private static final String SPEC = "https://spec.test/openai-openapi.json";

    private static WireMockServer wireMock;
    private static LlmClient client;
    private static Schema request;
    private static Schema response;

    @BeforeAll
    static void setUp() {
        String spec = specAsJson();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(SPEC, spec)));
        request = registry.getSchema(SchemaLocation.of(SPEC + "#/components/schemas/CreateChatCompletionRequest"));
        response = registry.getSchema(SchemaLocation.of(SPEC + "#/components/schemas/CreateChatCompletionResponse"));
        wireMock = ProviderTestSupport.startWireMock();
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ProviderTestSupport.fixture("openai/plain.json"))));
        client = new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null).create(API_KEY,
                Map.of("base-url", "http://127.0.0.1:" + wireMock.port() + "/v1", "model", "gpt-4o-mini",
                        "timeout", Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    /**
     * The published YAML, read as JSON. Whitespace-only lines are emptied first: the spec has one
     * ({@code example: |+} of CreateCompletionRequest.stop) that SnakeYAML refuses as a block
     * scalar's leading line, though other YAML parsers accept it; emptying it changes no schema.
     */
    private static String specAsJson() {
        String yaml = ProviderTestSupport.fixture("openai-openapi.yaml").replaceAll("(?m)^[ \\t]+$", "");
        JsonNode tree = new tools.jackson.dataformat.yaml.YAMLMapper().readTree(yaml);
        return ProviderTestSupport.JSON.writeValueAsString(tree);
    }

    private static JsonNode sent(LlmRequest llmRequest) {
        wireMock.resetRequests();
        client.complete(llmRequest);
        return ProviderTestSupport.lastBody(wireMock);
    }

    private static void assertValid(Schema schema, JsonNode body) {
        List<Error> errors = schema.validate(body);
        assertThat(errors).as("schema violations of %s", body).isEmpty();
    }

    @Test
    void firstTurnWithToolsTemperatureAndLimit() {
        JsonNode body = sent(ProviderTestSupport.firstTurn("openai", "gpt-4o-mini"));

        assertThat(body.path("tools")).hasSize(2);
        assertValid(request, body);
    }

    @Test
    void turnWithAssistantToolCallsAndToolResults() {
        JsonNode body = sent(ProviderTestSupport.afterToolResults("openai", "gpt-4o-mini"));

        assertThat(body.path("messages")).hasSize(5);
        assertValid(request, body);
    }

    @Test
    void assistantTextWithToolCallAndAnEmptyToolResult() {
        JsonNode body = sent(new LlmRequest("openai", "gpt-4.1", List.of(
                LlmMessage.user("Add 2 and 3"),
                LlmMessage.assistant("Let me add them.", List.of(ToolCall.of("call_1", "add", "{\"a\":2,\"b\":3}"))),
                LlmMessage.tool("call_1", null, ""),
                LlmMessage.assistant("It is 5."),
                LlmMessage.user("Thanks")), List.of(ProviderTestSupport.timeTool()), 1.5, 4096));

        assertValid(request, body);
    }

    @Test
    void plainPromptWithoutOptions() {
        JsonNode body = sent(new LlmRequest("openai", null, List.of(LlmMessage.user("Hi")), List.of(), null, null));

        assertValid(request, body);
    }

    @Test
    void aStreamedRequestWithItsUsageOptionIsValid() {
        wireMock.resetRequests();
        wireMock.stubFor(any(urlPathMatching(".*")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(ProviderTestSupport.fixture("openai/stream-text.sse"))));
        try {
            reactor.adapter.JdkFlowAdapter.flowPublisherToFlux(client.stream(ProviderTestSupport.firstTurn("openai", "gpt-4o-mini")))
                    .blockLast(Duration.ofSeconds(20));
        } finally {
            wireMock.resetMappings();
            wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(ProviderTestSupport.fixture("openai/plain.json"))));
        }

        JsonNode body = ProviderTestSupport.lastBody(wireMock);
        assertThat(body.path("stream").asBoolean(false)).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean(false)).isTrue();
        assertValid(request, body);
    }

    @Test
    void theValidatorDoesRejectAnInvalidRequest() {
        JsonNode invalid = ProviderTestSupport.JSON.readTree(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}],\"temperature\":\"hot\"}");

        List<Error> errors = request.validate(invalid);

        assertThat(errors).isNotEmpty();
        assertThat(errors).anySatisfy(error -> assertThat(error.toString()).contains("temperature"));
        assertThat(errors).anySatisfy(error -> assertThat(error.toString()).contains("messages"));
    }

    @Test
    void responseFixturesAreValidResponses() {
        for (String fixture : List.of("plain", "tool-call", "multi-tool")) {
            assertValid(response, ProviderTestSupport.JSON.readTree(ProviderTestSupport.fixture("openai/" + fixture + ".json")));
        }
    }
}
