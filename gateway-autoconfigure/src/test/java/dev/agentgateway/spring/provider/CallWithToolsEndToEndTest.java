package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.agentgateway.spring.provider.anthropic.AnthropicLlmClientFactory;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.tools.ToolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.agentgateway.spring.provider.AnthropicAdapterTest.filter;
import static dev.agentgateway.spring.provider.AnthropicAdapterTest.text;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.body;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole {@code Gateway.callWithTools} run through the real OpenAI and Anthropic adapters
 * against WireMock: the model asks for a tool, then another, then answers; the second and third
 * requests must carry the tool calls and results with the ids the model gave.
 */
class CallWithToolsEndToEndTest {

    private static WireMockServer wireMock;
    private Gateway gateway;
    private final List<String> toolRuns = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        wireMock = ProviderTestSupport.startWireMock();
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @BeforeEach
    void setUp() {
        wireMock.resetAll();
        gateway = Gateway.builder()
                .clientFactory(new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null))
                .clientFactory(new AnthropicLlmClientFactory(() -> null))
                .build();
        String url = "http://127.0.0.1:" + wireMock.port();
        gateway.configureProvider("openai", API_KEY, Map.of("base-url", url + "/v1", "timeout", Duration.ofSeconds(20)));
        gateway.configureProvider("anthropic", API_KEY, Map.of("base-url", url, "timeout", Duration.ofSeconds(20)));
    }

    @AfterEach
    void tearDown() {
        gateway.close();
    }

    private final ToolExecutor tools = (name, arguments) -> {
        toolRuns.add(name + arguments);
        return switch (name) {
            case "get_current_weather" -> Map.of("location", arguments.get("location"), "temperature_c", 21);
            case "get_time" -> "14:05";
            default -> throw new IllegalArgumentException(name);
        };
    };

    private GatewayCall call(String provider, String model) {
        return GatewayCall.builder().agentId("traveller").provider(provider).model(model)
                .system("You plan trips.").user("Weather and local time in Boston?")
                .tool(ProviderTestSupport.weatherTool()).tool(ProviderTestSupport.timeTool()).maxTokens(300).build();
    }

    private static void turns(String path, String first, String second, String third) {
        wireMock.stubFor(post(urlEqualTo(path)).inScenario("run").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(first)).willSetStateTo("second"));
        wireMock.stubFor(post(urlEqualTo(path)).inScenario("run").whenScenarioStateIs("second")
                .willReturn(json(second)).willSetStateTo("third"));
        wireMock.stubFor(post(urlEqualTo(path)).inScenario("run").whenScenarioStateIs("third")
                .willReturn(json(third)).willSetStateTo("done"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Test
    void openAiRunsTwoToolTurnsThenAnswers() {
        turns("/v1/chat/completions",
                openAiToolCall("call_weather_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"),
                openAiToolCall("call_time_2", "get_time", "{\"timezone\":\"America/New_York\"}"),
                ProviderTestSupport.fixture("openai/plain.json").replace("Hello! How can I assist you today?",
                        "It is 21 °C and 14:05 in Boston."));

        LlmResponse answer = gateway.callWithTools(call("openai", "gpt-4o-mini"), tools);

        assertThat(answer.content()).isEqualTo("It is 21 °C and 14:05 in Boston.");
        assertThat(answer.finishReason()).isEqualTo("stop");
        assertThat(toolRuns).containsExactly("get_current_weather{location=Boston, MA}", "get_time{timezone=America/New_York}");
        var sent = requests(wireMock);
        assertThat(sent).hasSize(3);

        JsonNode second = body(sent.get(1)).path("messages");
        assertThat(second).hasSize(4);
        assertThat(second.get(2).path("tool_calls").get(0).path("id").asString()).isEqualTo("call_weather_1");
        assertThat(second.get(3).path("role").asString()).isEqualTo("tool");
        assertThat(second.get(3).path("tool_call_id").asString()).isEqualTo("call_weather_1");
        assertThat(second.get(3).path("content").asString()).contains("21");

        JsonNode third = body(sent.get(2)).path("messages");
        assertThat(third).hasSize(6);
        assertThat(third.get(3).path("tool_call_id").asString()).isEqualTo("call_weather_1");
        assertThat(third.get(4).path("tool_calls").get(0).path("id").asString()).isEqualTo("call_time_2");
        assertThat(third.get(4).path("tool_calls").get(0).path("function").path("name").asString()).isEqualTo("get_time");
        assertThat(third.get(5).path("tool_call_id").asString()).isEqualTo("call_time_2");
        assertThat(third.get(5).path("content").asString()).isEqualTo("14:05");
        assertThat(body(sent.get(2)).path("tools")).hasSize(2);

        List<CallRecord> history = gateway.getCallHistory("traveller", null);
        assertThat(history).hasSize(3).allMatch(CallRecord::success).allMatch(record -> "openai".equals(record.provider()));
        assertThat(history).extracting(record -> record.response().finishReason())
                .containsExactly("tool_calls", "tool_calls", "stop");
        assertThat(gateway.metrics().totalCost()).isPositive();
    }

    @Test
    void anthropicRunsTwoToolTurnsThenAnswers() {
        turns("/v1/messages",
                anthropicToolUse("toolu_weather_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"),
                anthropicToolUse("toolu_time_2", "get_time", "{\"timezone\":\"America/New_York\"}"),
                ProviderTestSupport.fixture("anthropic/plain.json").replace("Hello! How can I assist you today?",
                        "It is 21 °C and 14:05 in Boston."));

        LlmResponse answer = gateway.callWithTools(call("anthropic", "claude-sonnet-4-5"), tools);

        assertThat(answer.content()).isEqualTo("It is 21 °C and 14:05 in Boston.");
        assertThat(toolRuns).hasSize(2);
        var sent = requests(wireMock);
        assertThat(sent).hasSize(3);

        JsonNode second = body(sent.get(1)).path("messages");
        assertThat(second).hasSize(3);
        assertThat(filter(second.get(1).path("content"), "tool_use").get(0).path("id").asString()).isEqualTo("toolu_weather_1");
        JsonNode firstResult = filter(second.get(2).path("content"), "tool_result").get(0);
        assertThat(firstResult.path("tool_use_id").asString()).isEqualTo("toolu_weather_1");
        assertThat(text(firstResult.path("content"))).contains("21");

        JsonNode third = body(sent.get(2)).path("messages");
        assertThat(third).hasSize(5);
        assertThat(filter(third.get(2).path("content"), "tool_result").get(0).path("tool_use_id").asString())
                .isEqualTo("toolu_weather_1");
        assertThat(filter(third.get(3).path("content"), "tool_use").get(0).path("id").asString()).isEqualTo("toolu_time_2");
        JsonNode secondResult = filter(third.get(4).path("content"), "tool_result").get(0);
        assertThat(secondResult.path("tool_use_id").asString()).isEqualTo("toolu_time_2");
        assertThat(text(secondResult.path("content"))).isEqualTo("14:05");
        assertThat(AnthropicAdapterTest.systemText(body(sent.get(2)))).isEqualTo("You plan trips.");

        assertThat(gateway.getCallHistory("traveller", null)).hasSize(3).allMatch(CallRecord::success);
    }

    private static String openAiToolCall(String id, String name, String arguments) {
        return """
                {"id":"chatcmpl-%s","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
                   "tool_calls":[{"id":"%s","type":"function","function":{"name":"%s","arguments":%s}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":90,"completion_tokens":15,"total_tokens":105}}
                """.formatted(id, id, name, ProviderTestSupport.JSON.writeValueAsString(arguments));
    }

    private static String anthropicToolUse(String id, String name, String input) {
        return """
                {"id":"msg_%s","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"tool_use","id":"%s","name":"%s","input":%s}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":300,"output_tokens":40}}
                """.formatted(id, id, name, input);
    }
}
