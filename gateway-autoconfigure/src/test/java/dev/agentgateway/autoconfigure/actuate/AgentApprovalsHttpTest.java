package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.approval.ApprovalRequestedEvent;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.provider.ToolCall;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.JsonNode;

import java.security.Principal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/agentapprovals} with write operations enabled: list, read and decide; who
 * decided is the request's authenticated principal (a filter stands in for Spring Security, which
 * sets it the same way).
 */
@SpringBootTest(classes = {ActuatorTestApplication.class, AgentApprovalsHttpTest.Authentication.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=agentapprovals,metrics",
                "agent-gateway.actuator.write-enabled=true",
                "agent-gateway.providers.openai.api-key=sk-approvals-test-key-123456",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
class AgentApprovalsHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Approvals approvals;

    @Autowired
    Authentication authentication;

    Http http;

    @BeforeEach
    void emptyStore() {
        http = new Http(port);
        approvals.store().clear();
    }

    private Approval request(String run, String arguments) {
        return approvals.request(run, "clerk", "acme", List.of(new ToolCall("call-1", "refund", arguments))).get(0);
    }

    @Test
    void listsPendingApprovalsWithTheirRunToolAndMaskedArguments() {
        Approval approval = request("run-1", "{\"amount\":10,\"key\":\"sk-approvals-test-key-123456\"}");

        JsonNode body = http.get("/actuator/agentapprovals").json();

        assertThat(body.get("pending").asLong()).isEqualTo(1);
        assertThat(body.get("writeEnabled").asBoolean()).isTrue();
        JsonNode listed = body.get("approvals").get(0);
        assertThat(listed.get("id").asString()).isEqualTo(approval.id());
        assertThat(listed.get("workflowId").asString()).isEqualTo("run-1");
        assertThat(listed.get("toolName").asString()).isEqualTo("refund");
        assertThat(listed.get("state").asString()).isEqualTo("pending");
        assertThat(listed.get("arguments").asString()).contains("\"amount\":10").doesNotContain("sk-approvals-test-key");
    }

    @Test
    void readsOneApprovalAndAnswers404ForAnUnknownOne() {
        Approval approval = request("run-1", "{}");

        assertThat(http.get("/actuator/agentapprovals/" + approval.id()).json().get("toolCallId").asString())
                .isEqualTo("call-1");
        assertThat(http.get("/actuator/agentapprovals/no-such-approval").status()).isEqualTo(404);
    }

    @Test
    void anApprovalRecordsTheAuthenticatedPrincipalAsWhoDecided() {
        Approval approval = request("run-1", "{}");
        authentication.user = "alice";
        try {
            Http.Response response = http.post("/actuator/agentapprovals/" + approval.id(),
                    "{\"decision\":\"approve\",\"decidedBy\":\"mallory\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("decision").get("decidedBy").asString()).isEqualTo("alice");
            assertThat(approvals.find(approval.id()).orElseThrow().decision().decidedBy()).isEqualTo("alice");
        } finally {
            authentication.user = null;
        }
    }

    @Test
    void withoutAnAuthenticatedPrincipalTheDeciderIsWhoTheBodyNames() {
        Approval approval = request("run-1", "{}");

        Http.Response response = http.post("/actuator/agentapprovals/" + approval.id(),
                "{\"decision\":\"reject\",\"reason\":\"refunds over 5 need a manager\",\"decidedBy\":\"bob\"}");

        JsonNode decision = response.json().get("decision");
        assertThat(decision.get("verdict").asString()).isEqualTo("rejected");
        assertThat(decision.get("reason").asString()).isEqualTo("refunds over 5 need a manager");
        assertThat(decision.get("decidedBy").asString()).isEqualTo("bob");
    }

    @Test
    void approvingWithEditedArgumentsKeepsThem() {
        Approval approval = request("run-1", "{\"amount\":10}");

        Http.Response response = http.post("/actuator/agentapprovals/" + approval.id(),
                "{\"decision\":\"approve-with-edit\",\"arguments\":\"{\\\"amount\\\":5}\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(approvals.find(approval.id()).orElseThrow().decision().editedArguments()).isEqualTo("{\"amount\":5}");
    }

    @Test
    void decidingTwiceAnswers409WithTheDecisionThatStands() {
        Approval approval = request("run-1", "{}");
        approvals.approve(approval.id(), "alice");

        Http.Response response = http.post("/actuator/agentapprovals/" + approval.id(),
                "{\"decision\":\"reject\",\"reason\":\"no\"}");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("approval").get("decision").get("decidedBy").asString()).isEqualTo("alice");
    }

    @Test
    void decidingAnUnknownApprovalAnswers404() {
        assertThat(http.post("/actuator/agentapprovals/nope", "{\"decision\":\"approve\"}").status()).isEqualTo(404);
    }

    @Test
    void badDecisionsAnswer400AndLeaveTheApprovalPending() {
        Approval approval = request("run-1", "{}");
        String path = "/actuator/agentapprovals/" + approval.id();

        assertThat(http.post(path, "{\"decision\":\"maybe\"}").status()).isEqualTo(400);
        assertThat(http.post(path, "{\"decision\":\"approve-with-edit\",\"arguments\":\"[1]\"}").status()).isEqualTo(400);
        assertThat(http.post(path, "{\"decision\":\"approve\",\"arguments\":\"{}\"}").status()).isEqualTo(400);
        assertThat(http.post(path, "{\"decision\":\"approve\",\"verdict\":\"x\"}").status()).isEqualTo(400);
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();
    }

    @Test
    void pendingApprovalsAreAMeterAndAnEvent() {
        authentication.events.clear();
        request("run-1", "{}");
        request("run-2", "{}");

        JsonNode gauge = http.get("/actuator/metrics/agent_gateway.approvals.pending").json();
        assertThat(gauge.get("measurements").get(0).get("value").asDouble()).isEqualTo(2.0);
        assertThat(authentication.events).extracting(event -> event.getApproval().workflowId())
                .containsExactly("run-1", "run-2");
    }

    /** Sets the request's principal from {@link #user}, as an authentication filter would; collects approval events. */
    @Configuration(proxyBeanMethods = false)
    static class Authentication {

        volatile String user;

        final List<ApprovalRequestedEvent> events = new CopyOnWriteArrayList<>();

        @Bean
        Filter principalFilter() {
            return (request, response, chain) -> {
                String name = user;
                if (name == null) {
                    chain.doFilter(request, response);
                    return;
                }
                Principal principal = () -> name;
                chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }
                }, response);
            };
        }

        @EventListener
        void on(ApprovalRequestedEvent event) {
            events.add(event);
        }
    }
}
