package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Without write operations the console's actions are not mapped at all; it shows only what Actuator exposes. */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/read-only.properties")
class ConsoleReadOnlyHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

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
    void aSectionActuatorDoesNotExposeIsNotShown() {
        ConsoleHttp http = new ConsoleHttp(port);

        assertThat(http.get("/ops/console/api/session").json().get("sections").get("checkpoints").asBoolean()).isFalse();
        ConsoleHttp.Answer checkpoints = http.get("/ops/console/api/checkpoints");
        assertThat(checkpoints.status()).isEqualTo(404);
        assertThat(checkpoints.json().get("message").asString()).contains("management.endpoints.web.exposure.include");
        assertThat(http.get("/agent-gateway/").status()).isEqualTo(404);
    }
}
