package dev.agentgateway.sample;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample serves the operator console where the README says, read-only, over what its Actuator exposes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleConsoleTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void theConsoleIsOpenedFromOutsideTheApplication() throws Exception {
        HttpResponse<String> page = get("/agent-gateway/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Agent Gateway console</title>");

        post("/api/runs", "{\"task\":\"What does a circuit breaker do for LLM providers?\"}");
        JsonNode calls = JsonMapper.builder().build().readTree(get("/agent-gateway/api/calls").body()).get("calls");
        assertThat(calls).isNotEmpty();
        JsonNode session = JsonMapper.builder().build().readTree(get("/agent-gateway/api/session").body());
        assertThat(session.get("writeEnabled").asBoolean()).isFalse();
        assertThat(session.get("sections").get("checkpoints").asBoolean()).isTrue();
        HttpResponse<String> approvals = get("/agent-gateway/api/approvals");
        assertThat(approvals.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.builder().build().readTree(approvals.body()).get("writeEnabled").asBoolean()).isFalse();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
