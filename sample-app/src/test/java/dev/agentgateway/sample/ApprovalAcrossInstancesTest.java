package dev.agentgateway.sample;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 end to end: the desk's publisher pauses for an editor's approval ({@code 202}); the
 * decision is made over HTTP on another instance of the desk on the same database (the first one
 * closed, or both up at once), and the run finishes there with the tool run exactly once.
 */
class ApprovalAcrossInstancesTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Two instances up at once on one database. */
    private static ConfigurableApplicationContext one;
    private static ConfigurableApplicationContext two;

    @BeforeAll
    static void startTwoInstances() {
        String database = "approvals-" + UUID.randomUUID();
        one = instance(database, "one");
        two = instance(database, "two");
    }

    @AfterAll
    static void stopInstances() {
        two.close();
        one.close();
    }

    private static ConfigurableApplicationContext instance(String database, String id, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                "--spring.jpa.hibernate.ddl-auto=update",
                "--agent-gateway.approvals.instance-id=" + id,
                "--agent-gateway.approvals.poll-interval=0",
                "--agent-gateway.console.enabled=false"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(ResearchDeskApplication.class).run(properties.toArray(String[]::new));
    }

    @Test
    void aRunPausedOnAnInstanceThatIsThenClosedIsApprovedOnANewInstanceAndItsToolRunsExactlyOnce() throws Exception {
        String database = "restart-" + UUID.randomUUID();
        ConfigurableApplicationContext first = instance(database, "first");
        JsonNode paused;
        try {
            paused = post(first, "/api/demo/approval", "", null, 202);
        } finally {
            first.close();
        }
        String runId = paused.get("runId").asString();
        JsonNode approval = paused.get("approvals").get(0);
        assertThat(paused.get("status").asString()).isEqualTo("AWAITING_APPROVAL");
        assertThat(approval.get("tool").asString()).isEqualTo("publish_note");

        ConfigurableApplicationContext second = instance(database, "second");
        try {
            assertThat(published(second, "The desk opens at nine on Mondays.")).isZero();
            JsonNode decided = post(second, "/api/approvals/" + approval.get("id").asString(), "{\"decision\":\"approve\"}",
                    "editor", 200);

            assertThat(decided.get("approval").get("decidedBy").asString()).isEqualTo("editor");
            assertThat(decided.get("run").get("runId").asString()).isEqualTo(runId);
            assertThat(decided.get("run").get("answer").asString()).startsWith("Publisher: published note");
            assertThat(published(second, "The desk opens at nine on Mondays.")).isEqualTo(1);
            assertThat(new JdbcTemplate(second.getBean(DataSource.class)).queryForObject(
                    "select claimed_by from agw_approval where id = ?", String.class, approval.get("id").asString()))
                    .isEqualTo("second");
        } finally {
            second.close();
        }
    }

    @Test
    void approvedWithEditedArgumentsTheToolPublishesTheEditedNote() throws Exception {
        String approval = pausedRunApproval(one);

        JsonNode decided = post(two, "/api/approvals/" + approval, "{\"decision\":\"approve-with-edit\",\"arguments\":"
                + JSON.writeValueAsString("{\"topic\":\"announcement\",\"content\":\"Edited by the editor\"}") + "}", "editor", 200);

        assertThat(decided.get("run").get("answer").asString()).contains("Edited by the editor");
        assertThat(published(two, "Edited by the editor")).isEqualTo(1);
    }

    @Test
    void aRejectionIsWhatTheModelReadsAsTheToolsResultAndNothingIsPublished() throws Exception {
        String approval = pausedRunApproval(one);
        int before = published(two, "The desk opens at nine on Mondays.");

        JsonNode decided = post(two, "/api/approvals/" + approval, "{\"decision\":\"reject\",\"reason\":\"not for publication\"}",
                "editor", 200);

        assertThat(published(two, "The desk opens at nine on Mondays.")).isEqualTo(before);
        LlmRequest seen = lastRequest(two);
        assertThat(seen.lastMessage().role()).isEqualTo(LlmMessage.Role.TOOL);
        assertThat(seen.lastMessage().content()).isEqualTo(
                "Error: tool 'publish_note' was not run: the approver rejected it (not for publication)");
        assertThat(decided.get("run").get("answer").asString()).contains("rejected it (not for publication)");
    }

    @Test
    void anApprovalNotDecidedInTimeIsRefusedAsExpiredAndTheModelReadsThatItExpired() throws Exception {
        String database = "expiry-" + UUID.randomUUID();
        ConfigurableApplicationContext shortLived = instance(database, "short", "--agent-gateway.approvals.timeout=200ms");
        try {
            String approval = pausedRunApproval(shortLived);
            Thread.sleep(400); // past the approval's time-out; nothing is asserted about time

            JsonNode refused = post(shortLived, "/api/approvals/" + approval, "{\"decision\":\"approve\"}", "editor", 409);

            assertThat(refused.get("verdict").asString()).isEqualTo("EXPIRED");
            assertThat(published(shortLived, "The desk opens at nine on Mondays.")).isZero();
            assertThat(lastRequest(shortLived).lastMessage().content()).contains("its approval expired");
        } finally {
            shortLived.close();
        }
    }

    @Test
    void ofTwoInstancesDecidingOneApprovalAtOnceExactlyOneDecidesAndTheOtherGets409() throws Exception {
        String approval = pausedRunApproval(one);
        int before = published(one, "The desk opens at nine on Mondays.");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<HttpResponse<String>> approve = threads.submit(() -> {
            start.await();
            return send(one, "/api/approvals/" + approval, "{\"decision\":\"approve\"}", "alice");
        });
        Future<HttpResponse<String>> reject = threads.submit(() -> {
            start.await();
            return send(two, "/api/approvals/" + approval, "{\"decision\":\"reject\",\"reason\":\"no\"}", "bob");
        });
        start.countDown();
        List<Integer> statuses = List.of(approve.get().statusCode(), reject.get().statusCode());
        threads.shutdown();

        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        int expected = approve.get().statusCode() == 200 ? before + 1 : before;
        assertThat(published(one, "The desk opens at nine on Mondays.")).isEqualTo(expected);
    }

    @Test
    void decidingAnApprovalTwiceIsRefusedWithTheDecisionThatStands() throws Exception {
        String approval = pausedRunApproval(one);
        post(one, "/api/approvals/" + approval, "{\"decision\":\"reject\",\"reason\":\"no\"}", "alice", 200);

        JsonNode refused = post(two, "/api/approvals/" + approval, "{\"decision\":\"approve\"}", "bob", 409);

        assertThat(refused.get("verdict").asString()).isEqualTo("REJECTED");
        assertThat(refused.get("decidedBy").asString()).isEqualTo("alice");
    }

    private static String pausedRunApproval(ConfigurableApplicationContext instance) throws Exception {
        return post(instance, "/api/demo/approval", "", null, 202).get("approvals").get(0).get("id").asString();
    }

    private static int published(ConfigurableApplicationContext instance, String content) {
        return new JdbcTemplate(instance.getBean(DataSource.class)).queryForObject(
                "select count(*) from note where topic = 'announcement' and content = ?", Integer.class, content);
    }

    private static LlmRequest lastRequest(ConfigurableApplicationContext instance) {
        List<LlmRequest> requests = instance.getBean("scripted", ScriptedLlmClient.class).requests();
        return requests.get(requests.size() - 1);
    }

    private static JsonNode post(ConfigurableApplicationContext instance, String path, String body, String approver,
                                 int expectedStatus) throws Exception {
        HttpResponse<String> response = send(instance, path, body, approver);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext instance, String path, String body,
                                             String approver) throws Exception {
        String port = instance.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (approver != null) {
            request.header("X-Approver", approver);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
