package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.provider.ToolCall;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Without write operations the console's actions are not mapped at all; it shows only what Actuator exposes. */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/read-only.properties")
class ConsoleReadOnlyHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    Approvals approvals;

    @Test
    void noActionCanBeInvoked() {
        ConsoleHttp http = new ConsoleHttp(port);

        assertThat(http.post("/ops/console/api/control/stop", "{}").status()).isEqualTo(404);
        assertThat(http.post("/ops/console/api/agents/writer/pause", "{}").status()).isEqualTo(404);
        assertThat(http.post("/ops/console/api/tenants/acme/limits", "{\"maxSteps\": 1}").status()).isEqualTo(404);
        assertThat(gateway.isStopped()).isFalse();
        assertThat(gateway.pausedAgents()).isEmpty();
        assertThat(http.get("/ops/console/api/session").json().get("writeEnabled").asBoolean()).isFalse();
    }

    @Test
    void approvalsAreListedButCannotBeDecided() {
        ConsoleHttp http = new ConsoleHttp(port);
        Approval approval = approvals.request("run-read-only", "clerk", "acme",
                List.of(new ToolCall("call-1", "refund", "{\"amount\":10}"))).get(0);

        ConsoleHttp.Answer decided = http.post("/ops/console/api/approvals/" + approval.id(), "{\"decision\": \"approve\"}");

        assertThat(decided.status()).isEqualTo(404);
        assertThat(decided.json().get("message").asString()).contains("agent-gateway.actuator.write-enabled=true");
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();
        JsonNode listed = http.get("/ops/console/api/approvals").json();
        assertThat(listed.get("writeEnabled").asBoolean()).isFalse();
        assertThat(listed.get("approvals").findValuesAsString("id")).contains(approval.id());
    }

    @Test
    void aSectionActuatorDoesNotExposeIsNotShown() {
        ConsoleHttp http = new ConsoleHttp(port);

        assertThat(http.get("/ops/console/api/session").json().get("sections").get("checkpoints").asBoolean()).isFalse();
        ConsoleHttp.Answer checkpoints = http.get("/ops/console/api/checkpoints");
        assertThat(checkpoints.status()).isEqualTo(404);
        assertThat(checkpoints.json().get("message").asString()).contains("management.endpoints.web.exposure.include");
        assertThat(http.get("/agent-gateway/").status()).isEqualTo(404);
    }
}
