package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.agentgateway.spring.provider.anthropic.AnthropicLlmClientFactory;
import dev.agentgateway.spring.provider.gemini.GeminiLlmClientFactory;
import dev.agentgateway.spring.provider.ollama.OllamaLlmClientFactory;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ToolCall;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds each adapter malformed, truncated and oddly typed response bodies (mutations of the
 * providers' documented responses, odd JSON, noise) with assorted statuses and content types. The
 * only allowed outcomes are a valid response or a typed {@link ProviderException} without the API
 * key; never another exception, never a hang (each call has a time-out, and the whole try must
 * finish well within it).
 */
class AdapterFuzzPropertyTest {

    private static final int TRIES = 300;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> KINDS = List.of("plain", "tool-call", "multi-tool");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static WireMockServer wireMock;
    private static final Map<String, LlmClient> clients = new LinkedHashMap<>();

    @BeforeContainer
    static void start() {
        wireMock = ProviderTestSupport.startWireMock();
        String url = "http://127.0.0.1:" + wireMock.port();
        clients.put("openai", create(new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null), url + "/v1", "gpt-4o-mini"));
        clients.put("anthropic", create(new AnthropicLlmClientFactory(() -> null), url, "claude-sonnet-4-5"));
        clients.put("gemini", create(new GeminiLlmClientFactory(() -> null), url, "gemini-2.5-flash"));
        clients.put("ollama", create(new OllamaLlmClientFactory(() -> null), url, "llama3.2"));
        clients.forEach((provider, client) -> {
            stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(ProviderTestSupport.fixture(provider + "/plain.json")));
            client.complete(request(provider)); // warm up the SDK
        });
    }

    @AfterContainer
    static void stop() {
        wireMock.stop();
    }

    private static LlmClient create(LlmClientFactory factory, String baseUrl, String model) {
        return factory.create(API_KEY, Map.of("base-url", baseUrl, "model", model, "timeout", CALL_TIMEOUT));
    }

    private static LlmRequest request(String provider) {
        return ProviderTestSupport.afterToolResults(provider, null);
    }

    private static void stub(ResponseDefinitionBuilder response) {
        wireMock.resetMappings();
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(response));
    }

    @Property(tries = TRIES)
    @StatisticsReport(label = "outcome", format = Histogram.class)
    void openAiGivesAValidResponseOrATypedFailure(@ForAll("openai") String body, @ForAll("statuses") int status,
                                                  @ForAll("contentTypes") String contentType) {
        check("openai", body, status, contentType);
        assertOutcomesCovered();
    }

    @Property(tries = TRIES)
    @StatisticsReport(label = "outcome", format = Histogram.class)
    void anthropicGivesAValidResponseOrATypedFailure(@ForAll("anthropic") String body, @ForAll("statuses") int status,
                                                     @ForAll("contentTypes") String contentType) {
        check("anthropic", body, status, contentType);
        assertOutcomesCovered();
    }

    @Property(tries = TRIES)
    @StatisticsReport(label = "outcome", format = Histogram.class)
    void geminiGivesAValidResponseOrATypedFailure(@ForAll("gemini") String body, @ForAll("statuses") int status,
                                                  @ForAll("contentTypes") String contentType) {
        check("gemini", body, status, contentType);
        assertOutcomesCovered();
    }

    @Property(tries = TRIES)
    @StatisticsReport(label = "outcome", format = Histogram.class)
    void ollamaGivesAValidResponseOrATypedFailure(@ForAll("ollama") String body, @ForAll("statuses") int status,
                                                  @ForAll("contentTypes") String contentType) {
        check("ollama", body, status, contentType);
        assertOutcomesCovered();
    }

    private static void check(String provider, String body, int status, String contentType) {
        ResponseDefinitionBuilder response = aResponse().withStatus(status).withBody(body);
        if (contentType != null) {
            response.withHeader("Content-Type", contentType);
        }
        stub(response);
        long started = System.nanoTime();
        try {
            LlmResponse answer = clients.get(provider).complete(request(provider));
            assertValid(answer, provider);
            Statistics.label("outcome").collect("valid response");
        } catch (ProviderException typed) {
            Statistics.label("outcome").collect(typed.getClass().getSimpleName());
            assertThat(typed.provider()).isEqualTo(provider);
            AdapterContractTest.assertNoKeyAnywhere(typed);
        } catch (Throwable other) {
            fail("status " + status + " and body <" + abbreviate(body) + "> gave " + other, other);
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(elapsedMs).as("no hang beyond the call time-out").isLessThan(CALL_TIMEOUT.toMillis() + 5_000);
    }

    /** The generators must produce valid answers as well as failures, or the property says little. */
    private static void assertOutcomesCovered() {
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("valid response").percentage(percent -> percent >= 2.0);
            coverage.check("ProviderBadResponseException").percentage(percent -> percent >= 20.0);
        });
    }

    private static void assertValid(LlmResponse answer, String provider) {
        assertThat(answer).isNotNull();
        assertThat(answer.provider()).isEqualTo(provider);
        assertThat(answer.finishReason()).isNotBlank();
        assertThat(answer.inputTokens()).isNotNegative();
        assertThat(answer.outputTokens()).isNotNegative();
        assertThat(answer.content() != null || answer.hasToolCalls()).isTrue();
        for (ToolCall call : answer.toolCalls()) {
            assertThat(call.id()).isNotBlank();
            assertThat(call.name()).isNotBlank();
            assertThat(call.arguments()).isNotNull();
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }

    // ---- generators -----------------------------------------------------------------------------

    @Provide
    Arbitrary<String> openai() {
        return bodies("openai");
    }

    @Provide
    Arbitrary<String> anthropic() {
        return bodies("anthropic");
    }

    @Provide
    Arbitrary<String> gemini() {
        return bodies("gemini");
    }

    @Provide
    Arbitrary<String> ollama() {
        return bodies("ollama");
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(200)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(201, 204, 302, 400, 401, 404, 408, 418, 429, 500, 502, 503, 529)));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("text/html", "text/plain", "application/json; charset=utf-16"))
        ).injectNull(0.05);
    }

    private static Arbitrary<String> bodies(String provider) {
        List<String> fixtures = KINDS.stream().map(kind -> ProviderTestSupport.fixture(provider + "/" + kind + ".json")).toList();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, retyped(fixtures)),
                net.jqwik.api.Tuple.of(3, truncated(fixtures)),
                net.jqwik.api.Tuple.of(1, characterNoise(fixtures)),
                net.jqwik.api.Tuple.of(1, oddDocuments()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
    }

    /** A documented body cut short anywhere. */
    private static Arbitrary<String> truncated(List<String> fixtures) {
        return Arbitraries.of(fixtures).flatMap(fixture ->
                Arbitraries.integers().between(0, fixture.length() - 1).map(end -> fixture.substring(0, end)));
    }

    /** A documented body with a few characters replaced, inserted or deleted. */
    private static Arbitrary<String> characterNoise(List<String> fixtures) {
        return Arbitraries.of(fixtures).flatMap(fixture -> Combinators.combine(
                Arbitraries.integers().between(0, fixture.length() - 1),
                Arbitraries.chars().with('"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', 'x', '0', '-', ' ', '\u00e9'),
                Arbitraries.of("replace", "insert", "delete")).as((at, c, how) -> switch (how) {
                    case "replace" -> fixture.substring(0, at) + c + fixture.substring(at + 1);
                    case "insert" -> fixture.substring(0, at) + c + fixture.substring(at);
                    default -> fixture.substring(0, at) + fixture.substring(at + 1);
                }));
    }

    /** A documented body with one to three of its values replaced by an odd value, or removed. */
    private static Arbitrary<String> retyped(List<String> fixtures) {
        return Arbitraries.of(fixtures).flatMap(fixture -> {
            JsonNode tree = ProviderTestSupport.JSON.readTree(fixture);
            List<String> pointers = new ArrayList<>();
            collectPointers(tree, "", pointers);
            Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(pointers), oddValues().injectNull(0.2)).as(Edit::new);
            return edit.list().ofMinSize(1).ofMaxSize(3).map(edits -> {
                JsonNode copy = tree.deepCopy();
                for (Edit change : edits) {
                    copy = apply(copy, change.pointer(), change.value());
                }
                return ProviderTestSupport.JSON.writeValueAsString(copy);
            });
        });
    }

    /** Replace the node at {@code pointer} with {@code value}, or remove it when the value is null. */
    private record Edit(String pointer, JsonNode value) {
    }

    /** Bodies that are JSON but nothing like an answer. */
    private static Arbitrary<String> oddDocuments() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "null", "true", "0", "-1", "\"text\"", "[]", "{}", "[{}]", "{\"choices\":null}",
                        "{\"choices\":[]}", "{\"content\":[]}", "{\"candidates\":[]}", "{\"message\":{}}", "{\"error\":\"boom\"}",
                        "{\"choices\":[{\"message\":null}]}", "{\"choices\":[{}]}", "{\"content\":[{\"type\":\"tool_use\"}]}",
                        "{\"candidates\":[{\"content\":{\"parts\":[{}]}}]}", "{\"message\":{\"tool_calls\":[{}]}}",
                        "\uFEFF{}", "{\"a\":1}{\"b\":2}", "{\"usage\":{\"prompt_tokens\":-5}}"),
                Arbitraries.integers().between(1, 3000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.integers().between(1, 3000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)),
                oddValues().map(value -> ProviderTestSupport.JSON.writeValueAsString(value)));
    }

    private static Arbitrary<JsonNode> oddValues() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 2_147_483_648L).map(NODES::numberNode),
                Arbitraries.of(-0.5, 1e308, Double.MIN_VALUE).map(NODES::numberNode),
                Arbitraries.of("", " ", "null", "tool_calls", "STOP", "{\"location\":", "\u0000", "x".repeat(5000)).map(NODES::stringNode),
                Arbitraries.just(NODES.arrayNode()),
                Arbitraries.just(NODES.objectNode()),
                Arbitraries.just(NODES.arrayNode().add(1).add("a").addNull()),
                Arbitraries.just(NODES.objectNode().put("type", "function").putNull("function")),
                Arbitraries.just(NODES.objectNode().put("id", "").put("name", "")));
    }

    private static void collectPointers(JsonNode node, String pointer, List<String> pointers) {
        if (!pointer.isEmpty()) {
            pointers.add(pointer);
        }
        if (node instanceof ObjectNode object) {
            for (String name : object.propertyNames()) {
                collectPointers(object.get(name), pointer + "/" + name, pointers);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                collectPointers(array.get(i), pointer + "/" + i, pointers);
            }
        }
    }

    /** Replaces (or with {@code null}, removes) the node at {@code pointer}. */
    private static JsonNode apply(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(last);
            } else {
                object.set(last, value.deepCopy());
            }
        } else if (parent instanceof ArrayNode array && last.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(last);
            if (index < array.size()) {
                if (value == null) {
                    array.remove(index);
                } else {
                    array.set(index, value.deepCopy());
                }
            }
        }
        return root;
    }
}
