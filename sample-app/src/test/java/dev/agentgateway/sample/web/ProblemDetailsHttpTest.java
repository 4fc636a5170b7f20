package dev.agentgateway.sample.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the desk over HTTP with malformed and unusual requests: every error is an RFC 9457
 * problem detail with the status phrase as title, and no Java class name in it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemDetailsHttpTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void malformedJsonIsABadRequestProblem() throws Exception {
        JsonNode problem = problem(post("/api/runs", "application/json", "{\"task\": "), 400, "Bad Request");
        assertThat(problem.has("type")).as("absent type means about:blank (RFC 9457 section 3.1.1)").isFalse();
        assertThat(problem.get("instance").asString()).isEqualTo("/api/runs");
    }

    @Test
    void aBodyOfAnotherMediaTypeIsUnsupportedMediaType() throws Exception {
        problem(post("/api/runs", "text/plain", "What is a loop?"), 415, "Unsupported Media Type");
    }

    @Test
    void anUnknownPathIsNotFound() throws Exception {
        problem(get("/api/nothing-here"), 404, "Not Found");
        problem(get("/no/such/page"), 404, "Not Found");
    }

    @Test
    void anUnknownRunIsNotFound() throws Exception {
        assertThat(problem(get("/api/runs/run-unknown"), 404, "Not Found").get("detail").asString())
                .isEqualTo("No run 'run-unknown' is known");
    }

    @Test
    void aQueryValueOfTheWrongTypeIsABadRequest() throws Exception {
        problem(get("/api/notes?limit=many"), 400, "Bad Request");
    }

    @Test
    void aQueryValueOutOfRangeIsABadRequest() throws Exception {
        problem(get("/api/notes?limit=0"), 400, "Bad Request");
    }

    @Test
    void aWrongMethodIsMethodNotAllowed() throws Exception {
        HttpResponse<String> response = http.send(request("/api/runs").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        problem(response, 405, "Method Not Allowed");
    }

    @Test
    void aBlankTaskNamesTheField() throws Exception {
        JsonNode problem = problem(post("/api/runs", "application/json", "{\"task\":\" \"}"), 400, "Bad Request");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("task");
        assertThat(problem.get("detail").asString()).startsWith("task ");
    }

    @Test
    void aBudgetRefusalIsAConflictWithItsFigures() throws Exception {
        JsonNode problem = problem(post("/api/demo/budget", "application/json", ""), 409, "Conflict");
        assertThat(problem.get("type").asString()).isEqualTo("https://agentgateway.dev/problems/budget-exceeded");
        assertThat(problem.get("limitUsd").isNumber()).isTrue();
        assertThat(problem.get("limitUsd").decimalValue()).isEqualByComparingTo("0.0001");
        assertThat(problem.get("estimateUsd").decimalValue()).isPositive();
        assertThat(problem.get("agent").asString()).isEqualTo("researcher");
    }

    @Test
    void aLoopIsUnprocessableContentNotWebDav508() throws Exception {
        JsonNode problem = problem(post("/api/demo/loop", "application/json", ""), 422, "Unprocessable Content");
        assertThat(problem.get("type").asString()).isEqualTo("https://agentgateway.dev/problems/loop-detected");
        assertThat(problem.get("occurrences").isNumber()).isTrue();
        assertThat(problem.get("runId").asString()).startsWith("run-");
    }

    @Test
    void aDeniedToolIsForbidden() throws Exception {
        JsonNode problem = problem(post("/api/demo/denied", "application/json", ""), 403, "Forbidden");
        assertThat(problem.get("type").asString()).isEqualTo("https://agentgateway.dev/problems/tool-denied");
        assertThat(problem.get("tool").asString()).isEqualTo("delete_notes");
    }

    /** Asserts the RFC 9457 shape and returns the problem. */
    private static JsonNode problem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isEqualTo(title);
        assertThat(response.body()).as("no Java class names")
                .doesNotContainPattern("Exception|\\b[a-z]+\\.[a-z]+\\.[A-Z]\\w+").doesNotContain("\"exception\"", "\"trace\"");
        return problem;
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }
}
