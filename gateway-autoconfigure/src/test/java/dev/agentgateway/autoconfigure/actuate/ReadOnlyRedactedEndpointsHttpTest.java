package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.provider.ToolSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults an operator gets: write operations off (not mapped at all, so nothing can be
 * invoked), only what the application exposes is reachable, and with
 * {@code agent-gateway.history.redact-content=true} no prompt, answer, tool argument, tool result
 * or workflow state appears in any endpoint.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,agentgateway,agentcalls,agentcheckpoints",
                "agent-gateway.history.redact-content=true",
                "agent-gateway.checkpoint.enabled=true",
                "agent-gateway.limits.max-steps=100",
                "agent-gateway.resilience.retry.max-attempts=1",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
class ReadOnlyRedactedEndpointsHttpTest {

    private static final String PROMPT = "Please summarise the Zephyr merger memo";
    private static final String TOOL_ARGUMENT = "confidential plans";

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    Http http;

    @BeforeEach
    void freshGateway() {
        http = new Http(port);
        gateway.reset();
    }

    @Test
    void writeOperationsAreNotMappedWhenWriteIsOff() {
        ExecutionLimits before = gateway.getLimits();

        Http.Response stop = http.post("/actuator/agentgateway/stop");
        Http.Response reset = http.post("/actuator/agentgateway/reset");
        Http.Response limits = http.post("/actuator/agentgateway/limits", "{\"maxSteps\": 1}");
        Http.Response pause = http.post("/actuator/agentgateway/alpha/pause");

        assertThat(stop.status()).isEqualTo(405);
        assertThat(reset.status()).isEqualTo(405);
        assertThat(limits.status()).isEqualTo(405);
        assertThat(pause.status()).isIn(404, 405);
        assertThat(http.postWithoutContentType("/actuator/agentgateway/stop").status()).isEqualTo(405);
        assertThat(gateway.isStopped()).isFalse();
        assertThat(gateway.pausedAgents()).isEmpty();
        assertThat(gateway.getLimits()).isEqualTo(before);
        assertThat(http.get("/actuator/agentgateway").json().get("writeEnabled").asBoolean()).isFalse();
        assertThat(http.get("/actuator").body()).doesNotContain("agentgateway/{action}", "{agentId}/{action}");
    }

    @Test
    void loopsAreCounted() {
        for (int i = 0; i < 3; i++) {
            try {
                gateway.call(GatewayCall.builder().agentId("looper").provider("priced").model("m").user("again").build());
            } catch (LoopDetectedException expected) {
                assertThat(i).isEqualTo(2);
            }
        }

        assertThat(http.get("/actuator/agentgateway").json().get("loopsDetected").asLong()).isEqualTo(1);
    }

    @Test
    void onlyWhatTheApplicationExposesIsReachable() {
        JsonNode links = http.get("/actuator").json().get("_links");

        assertThat(links.propertyNames()).contains("agentgateway", "agentcalls", "agentcheckpoints", "health")
                .doesNotContain("env", "configprops", "beans", "metrics", "loggers");
        assertThat(http.get("/actuator/env").status()).isEqualTo(404);
        assertThat(http.get("/actuator/metrics").status()).isEqualTo(404);
    }

    @Test
    void contentIsRedactedEverywhere() {
        gateway.call(GatewayCall.builder().agentId("alpha").provider("priced").model("m").user(PROMPT).build());
        gateway.callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted").model("script-1")
                        .workflowId("wf-secret").user(PROMPT).state(Map.of("customer", "Jane Roe"))
                        .tool(ToolSpec.of("lookup", "Looks up", Map.of("type", "object"))).build(),
                (tool, arguments) -> "result for " + arguments.get("q"));

        JsonNode history = http.get("/actuator/agentcalls").json();
        assertThat(history.get("redacted").asBoolean()).isTrue();
        JsonNode toolCall = history.get("toolCalls").get(0);
        assertThat(toolCall.get("toolName").asString()).isEqualTo("lookup");
        assertThat(toolCall.get("arguments").asString()).isEqualTo(EndpointSanitizer.MASK);
        assertThat(toolCall.get("result").asString()).isEqualTo(EndpointSanitizer.MASK);
        String alphaCall = http.get("/actuator/agentcalls?agentId=alpha").json().get("calls").get(0).get("callId").asString();
        JsonNode detail = http.get("/actuator/agentcalls/" + alphaCall).json();
        assertThat(detail.get("request").get("messages").get(0).get("content").asString()).isEqualTo(EndpointSanitizer.MASK);
        assertThat(detail.get("response").get("content").asString()).isEqualTo(EndpointSanitizer.MASK);
        assertThat(detail.get("response").get("inputTokens").asLong()).isEqualTo(100);
        String toolRunCall = http.get("/actuator/agentcalls?agentId=researcher").json().get("calls").get(0).get("callId").asString();
        JsonNode toolRun = http.get("/actuator/agentcalls/" + toolRunCall).json();
        assertThat(toolRun.get("response").get("toolCalls").get(0).get("arguments").asString()).isEqualTo(EndpointSanitizer.MASK);
        assertThat(toolRun.get("toolResults").get(0).get("result").asString()).isEqualTo(EndpointSanitizer.MASK);
        JsonNode checkpoint = http.get("/actuator/agentcheckpoints/wf-secret/2").json();
        assertThat(checkpoint.get("state").get("customer").asString()).isEqualTo(EndpointSanitizer.MASK);
        checkpoint.get("messages").forEach(message -> assertThat(message.get("content").isNull()
                || message.get("content").asString().equals(EndpointSanitizer.MASK)).isTrue());

        for (String path : new String[] {"/actuator/agentcalls", "/actuator/agentcalls/" + alphaCall,
                "/actuator/agentcalls/" + toolRunCall, "/actuator/agentcheckpoints", "/actuator/agentcheckpoints/wf-secret",
                "/actuator/agentcheckpoints/wf-secret/1", "/actuator/agentcheckpoints/wf-secret/2", "/actuator/agentgateway"}) {
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain("Zephyr", TOOL_ARGUMENT, "Jane Roe", "priced answer");
        }
    }
}
