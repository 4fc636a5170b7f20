package dev.agentgateway.core.tools;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenarios 31-38: which agent may use which tool. */
class ToolAccessTest {

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(ToolAccessController access, dev.agentgateway.core.provider.LlmClient client) {
        Gateway gateway = Gateway.builder().toolAccess(access).provider("model", client).build();
        gateways.add(gateway);
        return gateway;
    }

    /** A model that asks for {@code tool} once, then answers with the tool's result. */
    private static ScriptedLlmClient askingFor(String tool) {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult(tool), request -> ScriptedTurn.text("got " + request.lastMessage().content()))
                .otherwise(ScriptedTurn.toolCall(tool, "{}"))
                .build();
    }

    private static GatewayCall offering(String agent, String... tools) {
        GatewayCall.Builder builder = GatewayCall.builder().agentId(agent).provider("model").model("gpt-4o-mini").user("go");
        for (String tool : tools) {
            builder.tool(ToolSpec.of(tool, "the " + tool + " tool"));
        }
        return builder.build();
    }

    // ---- 31 ---------------------------------------------------------------------------------

    @Test
    void allowedAgentMayUseTheTool() { // scenario 31
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("web_search").allow("researcher"));

        assertThat(access.checkAccess("researcher", "web_search")).isTrue();
    }

    @Test
    void agentNotOnTheAllowListIsDenied() { // scenario 31
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("web_search").allow("researcher"));

        assertThat(access.checkAccess("writer", "web_search")).isFalse();
    }

    @Test
    void allowedAgentRunsTheToolThroughTheGateway() { // scenario 31
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("web_search").allow("researcher"));
        Gateway gateway = gateway(access, askingFor("web_search"));

        LlmResponse response = gateway.callWithTools(offering("researcher", "web_search"), (name, args) -> "3 results");

        assertThat(response.content()).isEqualTo("got 3 results");
    }

    @Test
    void deniedAgentGetsToolAccessDeniedExceptionNamingAgentAndTool() { // scenario 31
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("web_search").allow("researcher"));
        Gateway gateway = gateway(access, askingFor("web_search"));

        assertThatThrownBy(() -> gateway.callWithTools(offering("writer", "web_search"), (name, args) -> "3 results"))
                .isInstanceOfSatisfying(ToolAccessDeniedException.class, e -> {
                    assertThat(e.agentId()).isEqualTo("writer");
                    assertThat(e.toolName()).isEqualTo("web_search");
                    assertThat(e.outcome()).isEqualTo(AccessOutcome.DENIED_BY_RULE);
                })
                .hasMessageContaining("'writer'")
                .hasMessageContaining("'web_search'");
    }

    // ---- 32 ---------------------------------------------------------------------------------

    @Test
    void wildcardRuleLetsTheAllowedAgentUseMatchingTools() { // scenario 32
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("admin_*").allow("admin"));

        assertThat(access.checkAccess("admin", "admin_delete_users")).isTrue();
    }

    @Test
    void wildcardRuleDeniesOtherAgentsMatchingTools() { // scenario 32
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("admin_*").allow("admin"));

        assertThat(access.checkAccess("developer", "admin_delete_users")).isFalse();
        assertThat(access.checkAccess("developer", "read_file")).isTrue();
    }

    @Test
    void wildcardsMatchWholeNames() { // scenario 32
        assertThat(Wildcards.matches("admin_*", "admin_")).isTrue();
        assertThat(Wildcards.matches("admin_*", "admin")).isFalse();
        assertThat(Wildcards.matches("admin_*", "super_admin_x")).isFalse();
        assertThat(Wildcards.matches("file_?", "file_a")).isTrue();
        assertThat(Wildcards.matches("file_?", "file_ab")).isFalse();
        assertThat(Wildcards.matches("*_users", "admin_delete_users")).isTrue();
        assertThat(Wildcards.matches("a*b*c", "axxbyyc")).isTrue();
        assertThat(Wildcards.matches("a*b*c", "axxbyy")).isFalse();
    }

    // ---- 33 ---------------------------------------------------------------------------------

    @Test
    void deniedAgentsAreCheckedBeforeAllowedOnes() { // scenario 33
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("shell").allow("intern", "admin").deny("intern"));

        assertThat(access.checkAccess("intern", "shell")).isFalse();
        assertThat(access.checkAccess("admin", "shell")).isTrue();
    }

    @Test
    void denialInOneRuleWinsOverAnAllowInAnother() { // scenario 33
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("db_*").allow("bob"))
                .addRule(ToolAccessRule.forTool("db_drop").deny("bob"));

        assertThat(access.checkAccess("bob", "db_query")).isTrue();
        assertThat(access.checkAccess("bob", "db_drop")).isFalse();
    }

    @Test
    void starInAllowedAgentsAllowsEveryAgent() { // scenario 33
        ToolAccessController access = new ToolAccessController(AccessPolicy.DENY)
                .addRule(ToolAccessRule.forTool("calculator").allow("*"));

        assertThat(access.checkAccess("anyone", "calculator")).isTrue();
        assertThat(access.checkAccess("someone_else", "calculator")).isTrue();
    }

    // ---- 34 ---------------------------------------------------------------------------------

    @Test
    void defaultDenyPolicyDeniesAToolWithoutRule() { // scenario 34
        ToolAccessController access = new ToolAccessController(AccessPolicy.DENY);

        assertThat(access.checkAccess("a", "unlisted")).isFalse();
        assertThat(access.getAuditTrail()).singleElement()
                .extracting(ToolAccessDecision::outcome).isEqualTo(AccessOutcome.DENIED_BY_POLICY);
    }

    @Test
    void defaultAllowPolicyAllowsAToolWithoutRule() { // scenario 34
        ToolAccessController access = new ToolAccessController(AccessPolicy.ALLOW);

        assertThat(access.checkAccess("a", "unlisted")).isTrue();
        assertThat(new ToolAccessController().defaultPolicy()).isEqualTo(AccessPolicy.ALLOW);
    }

    // ---- 35 ---------------------------------------------------------------------------------

    @Test
    void setAgentToolsAddsTheAgentToEachToolsAllowedList() { // scenario 35
        ToolAccessController access = new ToolAccessController(AccessPolicy.DENY)
                .addRule(ToolAccessRule.forTool("web_search").allow("writer"));

        access.setAgentTools("researcher", List.of("web_search", "read_paper"));

        assertThat(access.rules()).extracting(ToolAccessRule::toolPattern).containsExactly("web_search", "read_paper");
        assertThat(access.rules().get(0).allowedAgents()).containsExactly("writer", "researcher");
        assertThat(access.rules().get(1).allowedAgents()).containsExactly("researcher");
        assertThat(access.checkAccess("researcher", "web_search")).isTrue();
        assertThat(access.checkAccess("researcher", "read_paper")).isTrue();
        assertThat(access.checkAccess("writer", "web_search")).isTrue();
        assertThat(access.checkAccess("writer", "read_paper")).isFalse();
    }

    // ---- 36 ---------------------------------------------------------------------------------

    @Test
    void offeringADeniedToolFailsBeforeTheProviderIsCalled() { // scenario 36
        MockLlmClient mock = MockLlmClient.create();
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("shell").deny("writer"));
        Gateway gateway = gateway(access, mock);

        assertThatThrownBy(() -> gateway.call(offering("writer", "read_file", "shell")))
                .isInstanceOfSatisfying(ToolAccessDeniedException.class, e -> assertThat(e.toolName()).isEqualTo("shell"));

        assertThat(mock.requestCount()).isZero();
        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(0L);
        assertThat(gateway.getCallHistory(null, null)).singleElement()
                .satisfies(refused -> assertThat(refused.refusedBy()).isEqualTo("tool-access:shell"));
    }

    @Test
    void offeringADeniedToolIsReportedToListeners() { // scenario 36
        List<ToolAccessDeniedException> denials = new ArrayList<>();
        Gateway gateway = Gateway.builder().toolAccess(new ToolAccessController(AccessPolicy.DENY))
                .provider("model", MockLlmClient.create())
                .listener(new GatewayListener() {
                    @Override
                    public void onToolDenied(ToolAccessDeniedException denial) {
                        denials.add(denial);
                    }
                }).build();
        gateways.add(gateway);

        assertThatThrownBy(() -> gateway.call(offering("a", "x"))).isInstanceOf(ToolAccessDeniedException.class);

        assertThat(denials).singleElement().extracting(ToolAccessDeniedException::outcome).isEqualTo(AccessOutcome.DENIED_BY_POLICY);
    }

    // ---- 37 ---------------------------------------------------------------------------------

    @Test
    void approvalToolWithoutApprovalHandlerIsDenied() { // scenario 37
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("send_email").allow("assistant").requireApproval());
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(access, askingFor("send_email"));

        assertThatThrownBy(() -> gateway.callWithTools(offering("assistant", "send_email"), (name, args) -> runs.incrementAndGet()))
                .isInstanceOfSatisfying(ToolAccessDeniedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(AccessOutcome.NO_APPROVER));
        assertThat(runs.get()).isZero();
    }

    @Test
    void approvalToolRunsWhenTheHandlerApproves() { // scenario 37
        List<ApprovalRequest> asked = new ArrayList<>();
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("send_email").allow("assistant").requireApproval())
                .approvalHandler(request -> asked.add(request));
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(access, askingFor("send_email"));

        LlmResponse response = gateway.callWithTools(offering("assistant", "send_email").toBuilder().workflowId("wf").build(),
                (name, args) -> "sent #" + runs.incrementAndGet());

        assertThat(response.content()).isEqualTo("got sent #1");
        assertThat(runs.get()).isEqualTo(1);
        assertThat(asked).containsExactly(new ApprovalRequest("assistant", "send_email", "{}", "wf"));
    }

    @Test
    void approvalDecisionIsRecorded() { // scenario 37
        MutableClock clock = MutableClock.create();
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("send_email").requireApproval())
                .approvalHandler(request -> request.agentId().equals("boss"))
                .clock(clock);

        assertThat(access.checkAccess("boss", "send_email")).isTrue();
        assertThat(access.checkAccess("intern", "send_email")).isFalse();

        assertThat(access.getAuditTrail()).containsExactly(
                new ToolAccessDecision(clock.instant(), "boss", "send_email", AccessOutcome.APPROVED, "approved"),
                new ToolAccessDecision(clock.instant(), "intern", "send_email", AccessOutcome.APPROVAL_REJECTED,
                        "approval was refused"));
    }

    @Test
    void rejectedApprovalStopsTheToolRunWithNothingExecuted() { // scenario 37 / 44
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("send_email").requireApproval())
                .approvalHandler(request -> false);
        AtomicInteger runs = new AtomicInteger();
        ScriptedLlmClient model = askingFor("send_email");
        Gateway gateway = gateway(access, model);

        assertThatThrownBy(() -> gateway.callWithTools(offering("assistant", "send_email"), (name, args) -> runs.incrementAndGet()))
                .isInstanceOfSatisfying(ToolAccessDeniedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(AccessOutcome.APPROVAL_REJECTED));

        assertThat(runs.get()).isZero();
        assertThat(model.requestCount()).isEqualTo(1);
        assertThat(gateway.getToolCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.DENIED);
            assertThat(record.toolName()).isEqualTo("send_email");
            assertThat(record.success()).isFalse();
        });
    }

    // ---- 38 ---------------------------------------------------------------------------------

    @Test
    void denialsAreCountedPerAgentAndTool() { // scenario 38
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("web_search").allow("researcher"))
                .addRule(ToolAccessRule.forTool("shell").deny("*"));

        access.checkAccess("writer", "web_search");
        access.checkAccess("writer", "web_search");
        access.checkAccess("intern", "shell");
        access.checkAccess("researcher", "web_search");

        assertThat(access.getDenialStats()).isEqualTo(Map.of("writer:web_search", 2L, "intern:shell", 1L));
        assertThat(access.totalDenials()).isEqualTo(3);
    }

    @Test
    void denialsAreListedInTheAuditTrail() { // scenario 38
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("web_search").allow("researcher"));

        access.checkAccess("researcher", "web_search");
        access.checkAccess("writer", "web_search");

        assertThat(access.getAuditTrail())
                .extracting(d -> d.agentId() + ":" + d.toolName() + ":" + d.outcome())
                .containsExactly("researcher:web_search:ALLOWED", "writer:web_search:DENIED_BY_RULE");
    }

    @Test
    void deniedOffersThroughTheGatewayAreCountedAndAudited() { // scenario 38
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("shell").deny("writer"));
        Gateway gateway = gateway(access, MockLlmClient.create());

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> gateway.call(offering("writer", "shell"))).isInstanceOf(ToolAccessDeniedException.class);
        }

        assertThat(access.getDenialStats()).isEqualTo(Map.of("writer:shell", 2L));
        assertThat(access.getAuditTrail()).hasSize(2).allSatisfy(d -> assertThat(d.allowed()).isFalse());
    }

    @Test
    void resetClearsStatisticsButKeepsRules() { // scenario 38
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("shell").deny("*"));
        access.checkAccess("a", "shell");

        access.reset();

        assertThat(access.getDenialStats()).isEmpty();
        assertThat(access.getAuditTrail()).isEmpty();
        assertThat(access.checkAccess("a", "shell")).isFalse();
    }

    @Test
    void defaultPolicyCanBeGivenAsTheSeedsString() {
        assertThat(new ToolAccessController("deny").checkAccess("anyone", "anything")).isFalse();
        assertThat(new ToolAccessController("Allow").checkAccess("anyone", "anything")).isTrue();
    }
}
