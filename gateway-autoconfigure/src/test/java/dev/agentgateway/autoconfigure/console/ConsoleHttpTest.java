package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.spring.console.ConsoleAudit;
import dev.agentgateway.spring.console.ConsoleEvents;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The console over HTTP with write operations enabled: its page, its JSON, its live events and its actions. */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/writable.properties")
class ConsoleHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    ConsoleEvents events;

    @Autowired
    ConsoleAudit audit;

    @Autowired
    ConsoleProperties properties;

    ConsoleHttp http;

    ExecutionLimits configured;

    @BeforeEach
    void freshGateway() {
        http = new ConsoleHttp(port);
        configured = gateway.getLimits();
        gateway.reset();
    }

    @AfterEach
    void restore() {
        gateway.resumeAll();
        gateway.updateLimits(configured);
        gateway.reset();
    }

    @Test
    void thePageIsServedAtTheConsolePathWithItsScriptAndTheChartLibrary() {
        ConsoleHttp.Answer bare = http.get("/agent-gateway");
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.raw().headers().firstValue("Location")).hasValue("/agent-gateway/");

        ConsoleHttp.Answer page = http.get("/agent-gateway/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Agent Gateway console</title>");
        assertThat(http.get("/agent-gateway/assets/console.js").status()).isEqualTo(200);
        assertThat(http.get("/agent-gateway/webjars/uplot/dist/uPlot.iife.min.js").body()).contains("uPlot");
    }

    @Test
    void theConsolesFiguresAreTheActuatorEndpointsFigures() {
        ConsoleTestApplication.call(gateway, "writer", "acme", "hello");

        JsonNode console = http.get("/agent-gateway/api/gateway").json();
        JsonNode actuator = http.get("/actuator/agentgateway").json();
        assertThat(console.get("agents")).isEqualTo(actuator.get("agents"));
        assertThat(console.get("tenants")).isEqualTo(actuator.get("tenants"));
        assertThat(console.get("limits")).isEqualTo(actuator.get("limits"));
        assertThat(http.get("/agent-gateway/api/calls?agent=writer").json())
                .isEqualTo(http.get("/actuator/agentcalls?agentId=writer").json());
        String callId = console.path("agents").isEmpty() ? null
                : http.get("/agent-gateway/api/calls").json().get("calls").get(0).get("callId").asString();
        assertThat(http.get("/agent-gateway/api/calls/" + callId).json())
                .isEqualTo(http.get("/actuator/agentcalls/" + callId).json());
        assertThat(http.get("/agent-gateway/api/calls/no-such-call").status()).isEqualTo(404);
    }

    @Test
    void theSessionTellsThePageItMayActWithoutSpringSecurity() {
        JsonNode session = http.get("/agent-gateway/api/session").json();

        assertThat(session.get("secured").asBoolean()).isFalse();
        assertThat(session.get("writeEnabled").asBoolean()).isTrue();
        assertThat(session.get("sections").get("calls").asBoolean()).isTrue();
        assertThat(session.get("sections").get("checkpoints").asBoolean()).isTrue();
    }

    @Test
    void aSettledCallIsPushedToTheOpenConsoles() throws Exception {
        HttpResponse<InputStream> stream = http.subscribe("/agent-gateway/api/events");
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        try {
            assertThat(stream.statusCode()).isEqualTo(200);
            CompletableFuture.supplyAsync(() -> ConsoleHttp.readUntil(lines, "event:hello")).get(20, TimeUnit.SECONDS);
            CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> ConsoleHttp.readUntil(lines, "event:call"));

            ConsoleTestApplication.call(gateway, "writer", "acme", "hello");

            List<String> event = received.get(20, TimeUnit.SECONDS);
            String callId = gateway.getCallHistory("writer", 1).get(0).callId();
            assertThat(event).anySatisfy(line -> assertThat(line).startsWith("data:").contains("\"callId\":\"" + callId + "\"")
                    .contains("\"outcome\":\"success\"").contains("\"tenant\":\"acme\""));
        } finally {
            // the stream, not the reader: closing the reader would wait for the blocked read
            stream.body().close();
        }
    }

    @Test
    void subscribersAreBoundedAndForgottenOnceTheyLeave() throws Exception {
        leaveNoSubscribers();
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        int max = properties.getMaxSubscribers();
        for (int i = 0; i < max; i++) {
            open.add(http.subscribe("/agent-gateway/api/events"));
        }
        await().until(() -> events.subscribers() == max);
        assertThat(http.get("/agent-gateway/api/events").status()).isEqualTo(503);

        for (HttpResponse<InputStream> stream : open) {
            stream.body().close();
        }
        leaveNoSubscribers();
        HttpResponse<InputStream> again = http.subscribe("/agent-gateway/api/events");
        assertThat(again.statusCode()).isEqualTo(200);
        again.body().close();
    }

    /** A browser that left is noticed when the next event cannot reach it. */
    private void leaveNoSubscribers() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ConsoleTestApplication.call(gateway, "writer", null, "anyone there?");
            assertThat(events.subscribers()).isZero();
        });
    }

    @Test
    void stopAndResumeAreCarriedOutAndRecorded() {
        int before = audit.entries().size();

        assertThat(http.post("/agent-gateway/api/control/stop", "{}").json().get("stopped").asBoolean()).isTrue();
        assertThatThrownBy(() -> ConsoleTestApplication.call(gateway, "writer", null, "hi"))
                .isInstanceOf(GatewayStoppedException.class);
        http.post("/agent-gateway/api/control/resume", "{}");

        assertThat(gateway.isStopped()).isFalse();
        JsonNode recorded = http.get("/agent-gateway/api/audit").json();
        assertThat(recorded).hasSize(before + 2);
        assertThat(recorded.get(0).get("action").asString()).isEqualTo("resume");
        assertThat(recorded.get(1).get("action").asString()).isEqualTo("stop");
        assertThat(recorded.get(1).get("operator").asString()).startsWith("anonymous@");
    }

    @Test
    void globalAgentAndTenantLimitsAreChangedFromTheConsole() {
        http.post("/agent-gateway/api/control/limits", "{\"maxSteps\": 7}");
        http.post("/agent-gateway/api/agents/researcher/limits", "{\"maxBudget\": \"0.2\"}");
        http.post("/agent-gateway/api/tenants/small/limits", "{\"maxSteps\": 4}");

        assertThat(gateway.getLimits().maxSteps()).isEqualTo(7);
        assertThat(gateway.getLimits().limitsFor(LimitScope.agent("researcher")).maxBudget()).isEqualByComparingTo("0.2");
        assertThat(gateway.getLimits().limitsFor(LimitScope.tenant("small")).maxSteps()).isEqualTo(4);
        assertThat(audit.entries().get(0).target()).isEqualTo("tenant small");
        assertThat(audit.entries().get(0).settings()).containsEntry("maxSteps", 4);
    }

    @Test
    void aBadActionIsRefusedWithTheEndpointsReasonAndNotRecorded() {
        int before = audit.entries().size();

        ConsoleHttp.Answer refused = http.post("/agent-gateway/api/control/limits", "{\"maxSteps\": \"many\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asString()).isEqualTo("Invalid maxSteps 'many'");
        assertThat(audit.entries()).hasSize(before);
        assertThat(gateway.getLimits()).isEqualTo(configured);
    }
}
