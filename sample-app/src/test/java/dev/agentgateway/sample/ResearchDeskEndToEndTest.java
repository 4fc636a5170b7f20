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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Boots the desk on a random port and drives it over HTTP as a user would, offline. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResearchDeskEndToEndTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Test
    void aTaskIsResearchedWithToolsAndAnsweredFromTheNotes() throws Exception {
        JsonNode run = post("/api/runs", "{\"task\":\"What does a circuit breaker do for LLM providers?\"}", 200);
        assertThat(run.get("answer").asString()).contains("A circuit breaker stops calling a provider that keeps failing");
        assertThat(run.get("steps").asLong()).isEqualTo(5);
        assertThat(new BigDecimal(run.get("costUsd").asString())).isPositive();
        assertThat(tools(run)).containsExactly("researcher:search_documents:SUCCESS", "researcher:save_note:SUCCESS",
                "writer:read_notes:SUCCESS");
        List<CallRecord> calls = gateway.getCallHistory(new HistoryQuery(null, run.get("runId").asString(), null, null, null, null, null));
        assertThat(calls).hasSize(5).allMatch(CallRecord::success).extracting(CallRecord::agentId)
                .containsExactly("researcher", "researcher", "researcher", "writer", "writer");
    }

    @Test
    void sumsAreComputedByTheCalculatorTool() throws Exception {
        JsonNode run = post("/api/runs", "{\"task\":\"Add 17 and 25 for the quarterly total\"}", 200);
        assertThat(tools(run)).contains("researcher:calculator:SUCCESS");
        assertThat(run.get("answer").asString()).contains("Computed result: 42");
    }

    @Test
    void aTenantWithoutBudgetIsRefusedBeforeTheModelIsCalled() throws Exception {
        long before = gateway.getCallHistory(null, null).size();
        JsonNode problem = post("/api/demo/budget", "", 409);
        assertThat(problem.get("type").asString()).isEqualTo("https://agentgateway.dev/problems/budget-exceeded");
        assertThat(problem.get("scope").asString()).isEqualTo("tenant");
        assertThat(problem.get("scopeId").asString()).isEqualTo("shoestring");
        // recorded as a failed call, and never sent to the model
        List<CallRecord> history = gateway.getCallHistory(null, null);
        assertThat(history).hasSize((int) before + 1);
        assertThat(history.get(history.size() - 1)).satisfies(refused -> {
            assertThat(refused.success()).isFalse();
            assertThat(refused.errorType()).isEqualTo("BudgetExceededException");
            assertThat(refused.response()).isNull();
        });
    }

    @Test
    void aRepeatingAgentIsStoppedByLoopDetection() throws Exception {
        JsonNode problem = post("/api/demo/loop", "", 422);
        assertThat(problem.get("pattern").asString()).isEqualTo("repeatedly calling tool");
        assertThat(problem.get("agents").get(0).asString()).isEqualTo("looper");
        String runId = problem.get("runId").asString();
        List<CallRecord> calls = gateway.getCallHistory(new HistoryQuery(null, runId, null, null, null, null, null));
        assertThat(calls).hasSize(3);
        assertThat(calls.get(2).success()).isFalse();
        assertThat(calls.get(2).error()).contains("Loop detected");

        JsonNode actuator = get("/actuator/agentcalls?workflowId=" + runId, 200);
        assertThat(actuator.get("calls")).hasSize(3);
        assertThat(actuator.get("calls").valueStream().filter(call -> !call.get("success").asBoolean()))
                .singleElement().satisfies(call -> assertThat(call.get("errorType").asString()).isEqualTo("LoopDetectedException"));
    }

    @Test
    void governanceIsVisibleInActuator() throws Exception {
        post("/api/runs", "{\"task\":\"How do loops get detected?\"}", 200);
        post("/api/demo/denied", "", 403);
        JsonNode gateway = get("/actuator/agentgateway", 200);
        assertThat(gateway.get("metrics").propertyNames()).containsExactly("total_cost", "total_steps", "total_tokens",
                "input_tokens", "output_tokens", "elapsed_seconds", "remaining", "call_count");
        assertThat(gateway.get("metrics").get("total_steps").asLong()).isPositive();
        assertThat(gateway.get("toolDenials").get("byAgentAndTool").has("intern:delete_notes")).isTrue();
        JsonNode health = get("/actuator/health", 200);
        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode denied = get("/actuator/agentcalls?agentId=intern", 200);
        assertThat(denied.get("toolCalls").valueStream().map(call -> call.get("outcome").asString())).contains("denied");
    }

    @Test
    void aToolThatNeedsApprovalIsDeniedAndTheDenialRecorded() throws Exception {
        JsonNode problem = post("/api/demo/denied", "", 403);
        assertThat(problem.get("agent").asString()).isEqualTo("intern");
        assertThat(problem.get("tool").asString()).isEqualTo("delete_notes");
        assertThat(gateway.toolAccess().getDenialStats()).containsKey("intern:delete_notes");
        assertThat(get("/api/notes", 200).isArray()).isTrue();
    }

    private static List<String> tools(JsonNode run) {
        return run.get("toolCalls").valueStream()
                .map(call -> call.get("agent").asString() + ":" + call.get("tool").asString() + ":" + call.get("outcome").asString())
                .toList();
    }

    private JsonNode post(String path, String body, int expectedStatus) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request, expectedStatus);
    }

    private JsonNode get(String path, int expectedStatus) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(), expectedStatus);
    }

    private JsonNode send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
