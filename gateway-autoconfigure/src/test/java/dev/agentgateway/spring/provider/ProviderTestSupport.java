package dev.agentgateway.spring.provider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** WireMock, fixtures and requests shared by the provider adapter tests. */
public final class ProviderTestSupport {

    /** Shaped like a real key, so the redaction of both the exact key and key shapes is exercised. */
    public static final String API_KEY = "sk-test-secret-key-0123456789";

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private ProviderTestSupport() {
    }

    public static WireMockServer startWireMock() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1").containerThreads(16));
        server.start();
        return server;
    }

    public static String fixture(String path) {
        try (InputStream in = ProviderTestSupport.class.getResourceAsStream("/provider/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests WireMock received, oldest first. */
    public static List<ServeEvent> requests(WireMockServer server) {
        return server.getAllServeEvents().stream()
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .toList();
    }

    public static JsonNode body(ServeEvent event) {
        return JSON.readTree(event.getRequest().getBodyAsString());
    }

    public static JsonNode lastBody(WireMockServer server) {
        List<ServeEvent> all = requests(server);
        return body(all.get(all.size() - 1));
    }

    public static ToolSpec weatherTool() {
        return ToolSpec.of("get_current_weather", "Get the current weather in a given location",
                Map.of("type", "object",
                        "properties", Map.of("location", Map.of("type", "string", "description", "City and country")),
                        "required", List.of("location")));
    }

    public static ToolSpec timeTool() {
        return ToolSpec.of("get_time", "Current time in a time zone",
                Map.of("type", "object", "properties", Map.of("timezone", Map.of("type", "string"))));
    }

    /** A first turn: system prompt, question, two tools, temperature and output limit. */
    public static LlmRequest firstTurn(String provider, String model) {
        return new LlmRequest(provider, model,
                List.of(LlmMessage.system("You are a weather assistant."), LlmMessage.user("What is the weather in Boston?")),
                List.of(weatherTool(), timeTool()), 0.2, 256);
    }

    /** A later turn: the assistant asked for two tools and their results came back. */
    public static LlmRequest afterToolResults(String provider, String model) {
        return new LlmRequest(provider, model, List.of(
                LlmMessage.system("You are a weather assistant."),
                LlmMessage.user("Weather in Paris and Tokyo?"),
                LlmMessage.assistant(null, List.of(
                        ToolCall.of("call_paris", "get_current_weather", "{\"location\":\"Paris, FR\"}"),
                        ToolCall.of("call_tokyo", "get_current_weather", "{\"location\":\"Tokyo, JP\"}"))),
                LlmMessage.tool("call_paris", "get_current_weather", "{\"temp\":18}"),
                LlmMessage.tool("call_tokyo", "get_current_weather", "{\"temp\":24}")),
                List.of(weatherTool()), null, null);
    }
}
