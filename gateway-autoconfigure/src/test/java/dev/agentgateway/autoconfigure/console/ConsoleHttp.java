package dev.agentgateway.autoconfigure.console;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** What a browser's fetch and EventSource see of the console, over real HTTP. */
final class ConsoleHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final String base;
    private final Map<String, String> headers;

    ConsoleHttp(int port) {
        this(port, Map.of());
    }

    private ConsoleHttp(int port, Map<String, String> headers) {
        // keeps the session cookie, as a browser does: Spring Security's CSRF token lives in the session
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).cookieHandler(new CookieManager()).build();
        this.base = "http://localhost:" + port;
        this.headers = headers;
    }

    /** A client that signs in with HTTP Basic on every request and keeps its session. */
    static ConsoleHttp basic(int port, String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ConsoleHttp(port, Map.of("Authorization", "Basic " + credentials));
    }

    record Answer(int status, String body, HttpResponse<?> raw) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, String json) {
        return post(path, json, Map.of());
    }

    Answer post(String path, String json, Map<String, String> extraHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        extraHeaders.forEach(request::header);
        return send(request);
    }

    /** An open event stream, as an EventSource holds it; close it to leave. */
    HttpResponse<InputStream> subscribe(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private Answer send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of the next event named by {@code marker} (e.g. {@code event:call}) on an open stream. */
    static List<String> readUntil(BufferedReader lines, String marker) {
        List<String> event = new ArrayList<>();
        boolean inEvent = false;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(marker)) {
                    inEvent = true;
                } else if (inEvent && line.isEmpty()) {
                    return event;
                }
                if (inEvent) {
                    event.add(line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the stream ended before " + marker);
    }
}
