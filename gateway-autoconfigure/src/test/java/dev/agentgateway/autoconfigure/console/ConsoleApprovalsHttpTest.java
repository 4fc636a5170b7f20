package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.spring.console.ConsoleAudit;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's approvals over HTTP with write operations enabled: the pending list is Actuator's,
 * decisions go through {@code /actuator/agentapprovals}'s rules, are made by the console's operator
 * and recorded, and requests are pushed to the open consoles. Pending approvals are made through
 * {@link Approvals#request}, as a run reaching a tool that needs approval makes them.
 */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/writable.properties")
class ConsoleApprovalsHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Approvals approvals;

    @Autowired
    ConsoleAudit audit;

    ConsoleHttp http;

    @BeforeEach
    void emptyStore() {
        http = new ConsoleHttp(port);
        approvals.store().clear();
    }

    @Test
    void thePendingApprovalsAreActuatorsAndThisOperatorMayDecideThem() {
        request("run-list", "refund", "{\"amount\":10}");
        request("run-list-2", "delete_account", "{\"user\":\"u-7\"}");

        JsonNode console = http.get("/agent-gateway/api/approvals").json();
        JsonNode actuator = http.get("/actuator/agentapprovals").json();

        assertThat(console.get("approvals")).isEqualTo(actuator.get("approvals"));
        assertThat(console.get("pending").asLong()).isEqualTo(2);
        assertThat(console.get("writeEnabled").asBoolean()).isTrue();
    }

    @Test
    void anApprovalIsDecidedInTheConsoleOperatorsNameAndRecorded() {
        Approval approval = request("run-approve", "refund", "{\"amount\":10}");

        ConsoleHttp.Answer answer = http.post("/agent-gateway/api/approvals/" + approval.id(), "{\"decision\": \"approve\"}");

        assertThat(answer.status()).isEqualTo(200);
        ApprovalDecision decision = approvals.find(approval.id()).orElseThrow().decision();
        assertThat(decision.verdict()).isEqualTo(ApprovalDecision.Verdict.APPROVED);
        assertThat(decision.decidedBy()).startsWith("anonymous@");
        ConsoleAudit.Entry recorded = audit.entries().get(0);
        assertThat(recorded.action()).isEqualTo("approve");
        assertThat(recorded.target()).isEqualTo("approval " + approval.id() + " (refund of run run-approve)");
        assertThat(recorded.operator()).isEqualTo(decision.decidedBy());
    }

    @Test
    void aRejectionCarriesItsReasonToTheRun() {
        Approval approval = request("run-reject", "refund", "{\"amount\":10000}");

        http.post("/agent-gateway/api/approvals/" + approval.id(), "{\"decision\": \"reject\", \"reason\": \"over the refund cap\"}");

        ApprovalDecision decision = approvals.find(approval.id()).orElseThrow().decision();
        assertThat(decision.verdict()).isEqualTo(ApprovalDecision.Verdict.REJECTED);
        assertThat(decision.reason()).isEqualTo("over the refund cap");
        assertThat(audit.entries().get(0).settings()).containsEntry("reason", "over the refund cap");
    }

    @Test
    void editedArgumentsAreWhatTheToolRunsWithAndTheAuditKeepsOnlyThatTheyWereEdited() {
        Approval approval = request("run-edit", "refund", "{\"amount\":10000}");

        http.post("/agent-gateway/api/approvals/" + approval.id(),
                "{\"decision\": \"approve-with-edit\", \"arguments\": \"{\\\"amount\\\":100}\"}");

        ApprovalDecision decision = approvals.find(approval.id()).orElseThrow().decision();
        assertThat(decision.verdict()).isEqualTo(ApprovalDecision.Verdict.APPROVED_WITH_EDIT);
        assertThat(decision.editedArguments()).isEqualTo("{\"amount\":100}");
        assertThat(audit.entries().get(0).settings()).containsOnlyKeys("argumentsEdited");
    }

    @Test
    void editedArgumentsThatAreNotAJsonObjectAreRefusedAndNothingIsRecorded() {
        Approval approval = request("run-bad-edit", "refund", "{\"amount\":10}");
        int before = audit.entries().size();

        ConsoleHttp.Answer refused = http.post("/agent-gateway/api/approvals/" + approval.id(),
                "{\"decision\": \"approve-with-edit\", \"arguments\": \"[1, 2]\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asString()).contains("JSON object");
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();
        assertThat(audit.entries()).hasSize(before);
    }

    @Test
    void aSecondDecisionIsRefusedWithTheOneThatStands() {
        Approval approval = request("run-twice", "refund", "{\"amount\":10}");
        http.post("/agent-gateway/api/approvals/" + approval.id(), "{\"decision\": \"reject\", \"reason\": \"no\"}");
        int before = audit.entries().size();

        ConsoleHttp.Answer second = http.post("/agent-gateway/api/approvals/" + approval.id(), "{\"decision\": \"approve\"}");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("approval").get("decision").get("verdict").asString()).isEqualToIgnoringCase("rejected");
        assertThat(audit.entries()).hasSize(before);
    }

    @Test
    void anUnknownApprovalOrDecisionIsRefused() {
        Approval approval = request("run-unknown", "refund", "{\"amount\":10}");

        assertThat(http.post("/agent-gateway/api/approvals/no-such-approval", "{\"decision\": \"approve\"}").status())
                .isEqualTo(404);
        assertThat(http.post("/agent-gateway/api/approvals/" + approval.id(), "{\"decision\": \"maybe\"}").status())
                .isEqualTo(400);
        assertThat(http.post("/agent-gateway/api/approvals/" + approval.id(), "{}").status()).isEqualTo(400);
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();
    }

    @Test
    void requestsAndDecisionsArePushedToTheOpenConsoles() throws Exception {
        HttpResponse<InputStream> stream = http.subscribe("/agent-gateway/api/events");
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        try {
            CompletableFuture.supplyAsync(() -> ConsoleHttp.readUntil(lines, "event:hello")).get(20, TimeUnit.SECONDS);
            CompletableFuture<List<String>> requested = CompletableFuture.supplyAsync(
                    () -> ConsoleHttp.readUntil(lines, "event:approval"));

            Approval approval = request("run-pushed", "refund", "{\"amount\":10}");

            assertThat(requested.get(20, TimeUnit.SECONDS)).anySatisfy(line -> assertThat(line).startsWith("data:")
                    .contains("\"approvalId\":\"" + approval.id() + "\"").contains("\"state\":\"pending\""));
            CompletableFuture<List<String>> decided = CompletableFuture.supplyAsync(
                    () -> ConsoleHttp.readUntil(lines, "event:approval"));
            approvals.approve(approval.id(), "someone");
            assertThat(decided.get(20, TimeUnit.SECONDS)).anySatisfy(line -> assertThat(line)
                    .contains("\"approvalId\":\"" + approval.id() + "\"").contains("\"state\":\"decided\""));
        } finally {
            stream.body().close();
        }
    }

    private Approval request(String run, String tool, String arguments) {
        return approvals.request(run, "clerk", "acme", List.of(new ToolCall("call-" + run, tool, arguments))).get(0);
    }
}
