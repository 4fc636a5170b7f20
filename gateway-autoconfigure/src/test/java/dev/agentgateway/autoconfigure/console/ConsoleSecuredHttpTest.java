package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.spring.console.ConsoleAudit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in an application with Spring Security (its own filter chain, HTTP Basic and form
 * login, CSRF protection on): the configured role is needed to read, and an action needs the CSRF
 * token the console hands its page.
 */
@SpringBootTest(classes = {ConsoleTestApplication.class, ConsoleSecurityConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/writable.properties")
class ConsoleSecuredHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    Approvals approvals;

    @Autowired
    ConsoleAudit audit;

    @AfterEach
    void resume() {
        gateway.resumeAll();
    }

    @Test
    void nobodySignedInIsAskedToSignIn() {
        ConsoleHttp anonymous = new ConsoleHttp(port);

        assertThat(anonymous.get("/agent-gateway/api/session").status()).isEqualTo(401);
        assertThat(anonymous.get("/agent-gateway/").status()).isEqualTo(401);
        assertThat(anonymous.post("/agent-gateway/api/control/stop", "{}").status()).isIn(401, 403);
        assertThat(gateway.isStopped()).isFalse();
    }

    @Test
    void aSignedInUserWithoutTheRoleIsTurnedAway() {
        ConsoleHttp viewer = ConsoleHttp.basic(port, "viewer", ConsoleSecurityConfiguration.PASSWORD);

        assertThat(viewer.get("/agent-gateway/").status()).isEqualTo(403);
        assertThat(viewer.get("/agent-gateway/api/gateway").status()).isEqualTo(403);
        assertThat(viewer.get("/agent-gateway/api/events").status()).isEqualTo(403);
    }

    @Test
    void anOperatorReadsTheConsoleAndTheSessionCarriesTheCsrfToken() {
        ConsoleHttp operator = ConsoleHttp.basic(port, "operator", ConsoleSecurityConfiguration.PASSWORD);

        JsonNode session = operator.get("/agent-gateway/api/session").json();

        assertThat(session.get("secured").asBoolean()).isTrue();
        assertThat(session.get("operator").asString()).isEqualTo("operator");
        assertThat(session.get("writeEnabled").asBoolean()).isTrue();
        assertThat(session.get("csrf").get("headerName").asString()).isEqualTo("X-CSRF-TOKEN");
        assertThat(session.get("csrf").get("token").asString()).isNotBlank();
        assertThat(operator.get("/agent-gateway/").status()).isEqualTo(200);
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        ConsoleHttp operator = ConsoleHttp.basic(port, "operator", ConsoleSecurityConfiguration.PASSWORD);
        int before = audit.entries().size();

        assertThat(operator.post("/agent-gateway/api/control/stop", "{}").status()).isEqualTo(403);

        assertThat(gateway.isStopped()).isFalse();
        assertThat(audit.entries()).hasSize(before);
    }

    @Test
    void anActionWithTheCsrfTokenIsCarriedOutInTheOperatorsName() {
        ConsoleHttp operator = ConsoleHttp.basic(port, "operator", ConsoleSecurityConfiguration.PASSWORD);

        ConsoleHttp.Answer stopped = operator.post("/agent-gateway/api/control/stop", "{}", csrf(operator));

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(gateway.isStopped()).isTrue();
        assertThat(audit.entries().get(0).operator()).isEqualTo("operator");
    }

    @Test
    void anApprovalIsDecidedByTheSignedInOperatorOnlyWithTheCsrfToken() {
        ConsoleHttp operator = ConsoleHttp.basic(port, "operator", ConsoleSecurityConfiguration.PASSWORD);
        Approval approval = approvals.request("run-secured", "clerk", "acme",
                List.of(new ToolCall("call-1", "refund", "{\"amount\":10}"))).get(0);
        String path = "/agent-gateway/api/approvals/" + approval.id();

        assertThat(operator.post(path, "{\"decision\": \"approve\"}").status()).isEqualTo(403);
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();

        assertThat(operator.post(path, "{\"decision\": \"approve\", \"decidedBy\": \"mallory\"}", csrf(operator)).status())
                .isEqualTo(200);
        assertThat(approvals.find(approval.id()).orElseThrow().decision().decidedBy()).isEqualTo("operator");
    }

    /** The header the page sends, with the token its session answer carries. */
    private static Map<String, String> csrf(ConsoleHttp operator) {
        JsonNode csrf = operator.get("/agent-gateway/api/session").json().get("csrf");
        return Map.of(csrf.get("headerName").asString(), csrf.get("token").asString());
    }
}
