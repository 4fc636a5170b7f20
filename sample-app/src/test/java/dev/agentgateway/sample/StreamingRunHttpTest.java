package dev.agentgateway.sample;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the desk on a random port and reads its streamed runs over HTTP as Server-Sent Events, as a
 * browser's EventSource would: the agents' text, their tools, and a last event with the run's totals.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "agent-gateway.stream.timeout=1s")
class StreamingRunHttpTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    /** One Server-Sent Event: its name and its JSON data. */
    record Event(String name, JsonNode data) {
    }

    private List<Event> stream(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        String[] name = {null};
        StringBuilder data = new StringBuilder();
        response.body().forEach(line -> {
            if (line.startsWith("event:")) {
                name[0] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && !data.isEmpty()) {
                events.add(new Event(name[0], JSON.readTree(data.toString())));
                name[0] = null;
                data.setLength(0);
            }
        });
        return events;
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).distinct().toList();
    }

    private static String text(List<Event> events, String agent) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> "token".equals(e.name()) && agent.equals(e.data().get("agent").asString()))
                .forEach(e -> text.append(e.data().get("text").asString()));
        return text.toString();
    }

    @Test
    void aStreamedRunSendsTheAgentsTextTheirToolsAndLastTheRunsTotals() throws Exception {
        List<Event> events = stream("/api/runs/stream", "{\"task\":\"What does a circuit breaker do for LLM providers?\"}");

        assertThat(names(events)).containsExactly("tool", "token", "done");
        assertThat(events).filteredOn(e -> "tool".equals(e.name()))
                .extracting(e -> e.data().get("agent").asString() + ":" + e.data().get("tool").asString() + ":"
                        + e.data().get("phase").asString())
                .containsExactly("researcher:search_documents:started", "researcher:search_documents:finished",
                        "researcher:save_note:started", "researcher:save_note:finished",
                        "writer:read_notes:started", "writer:read_notes:finished");
        assertThat(text(events, "writer")).contains("A circuit breaker stops calling a provider that keeps failing");
        JsonNode done = events.get(events.size() - 1).data().get("result");
        assertThat(done.get("answer").asString()).isEqualTo(text(events, "writer"));
        assertThat(done.get("steps").asLong()).isEqualTo(5);
        assertThat(done.get("tokens").asLong()).isPositive();
        BigDecimal cost = new BigDecimal(done.get("costUsd").asString());
        assertThat(cost).isPositive();
        List<CallRecord> calls = gateway.getCallHistory(new HistoryQuery(null, done.get("runId").asString(), null, null, null,
                null, null));
        assertThat(calls).hasSize(5).allMatch(CallRecord::success);
        assertThat(calls.stream().map(CallRecord::cost).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(cost);
    }

    @Test
    void aStreamedRunOverItsTenantsBudgetEndsWithAFailedEventBeforeTheModelIsAsked() throws Exception {
        List<Event> events = stream("/api/runs/stream", "{\"task\":\"Anything at all\",\"tenant\":\"shoestring\"}");

        assertThat(events).singleElement().satisfies(failed -> {
            assertThat(failed.name()).isEqualTo("failed");
            assertThat(failed.data().get("error").asString()).isEqualTo("BudgetExceededException");
            assertThat(failed.data().get("result").get("steps").asLong()).isZero();
        });
    }

    @Test
    void theStreamTimeOutDemoIsCutOffAfterWhatItSaidAndChargedForIt() throws Exception {
        List<Event> events = stream("/api/demo/stream-timeout", "");

        assertThat(names(events)).containsExactly("token", "failed");
        Event failed = events.get(events.size() - 1);
        assertThat(failed.data().get("error").asString()).isEqualTo("ProviderTimeoutException");
        assertThat(failed.data().get("detail").asString()).contains("did not finish within 1000 ms");
        String runId = failed.data().get("result").get("runId").asString();
        assertThat(gateway.getCallHistory(new HistoryQuery(null, runId, null, null, null, null, null))).singleElement()
                .satisfies(record -> {
                    assertThat(record.agentId()).isEqualTo("rambler");
                    assertThat(record.response().finishReason()).isEqualTo("timeout");
                    assertThat(record.response().content()).isEqualTo(text(events, "rambler"));
                    assertThat(record.cost()).isPositive()
                            .isEqualByComparingTo(new BigDecimal(failed.data().get("result").get("costUsd").asString()));
                });
    }
}
