package dev.agentgateway.autoconfigure.approval;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.spring.approval.ApprovalResumer;
import dev.agentgateway.spring.approval.ApprovedRunResumedEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The gateway of a Spring Boot application pauses runs for durable approvals and resumes them where they are decided. */
class ApprovalAutoConfigurationTest {

    private static final ToolSpec SEND = ToolSpec.of("send", "sends a mail", Map.of("type", "object"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApprovalAutoConfiguration.class, GatewayAutoConfiguration.class))
            .withUserConfiguration(Model.class)
            .withPropertyValues("agent-gateway.checkpoint.enabled=true", "agent-gateway.approvals.poll-interval=0",
                    "agent-gateway.tool-access.rules[0].tool=send", "agent-gateway.tool-access.rules[0].require-approval=true");

    @Configuration(proxyBeanMethods = false)
    static class Model {
        final List<ApprovedRunResumedEvent> resumed = new CopyOnWriteArrayList<>();

        @Bean
        LlmClient scripted() {
            return ScriptedLlmClient.builder()
                    .when(request -> request.lastMessage().role() == LlmMessage.Role.TOOL,
                            request -> ScriptedTurn.text("after: " + request.lastMessage().content()))
                    .otherwise(ScriptedTurn.toolCall("send", "{}")).build();
        }

        @Bean
        ApplicationListener<ApprovedRunResumedEvent> resumedRuns() {
            return resumed::add;
        }
    }

    private static GatewayCall run(String workflowId) {
        return GatewayCall.builder().agentId("mailer").provider("scripted").model("gpt-4o-mini").user("mail it")
                .workflowId(workflowId).tools(List.of(SEND)).build();
    }

    @Test
    void theGatewayBeanPausesARunForTheApprovalsBean() {
        runner.run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            assertThat(gateway.approvals()).isSameAs(context.getBean(Approvals.class));

            RunAwaitingApprovalException paused = catchThrowableOfType(RunAwaitingApprovalException.class,
                    () -> gateway.callWithTools(run("run-1"), (tool, arguments) -> "sent"));

            assertThat(context.getBean(Approvals.class).pending(10)).singleElement()
                    .satisfies(approval -> assertThat(approval.id()).isEqualTo(paused.approvals().get(0).id()));
        });
    }

    @Test
    void theDecisionThatCompletesARunsApprovalsResumesItAndPublishesItsAnswer() {
        runner.run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            AtomicInteger sent = new AtomicInteger();
            RunAwaitingApprovalException paused = catchThrowableOfType(RunAwaitingApprovalException.class,
                    () -> gateway.callWithTools(run("run-1"), (tool, arguments) -> "sent " + sent.incrementAndGet()));

            context.getBean(Approvals.class).reject(paused.approvals().get(0).id(), "not today", "alice");

            assertThat(sent).hasValue(0);
            assertThat(context.getBean(Model.class).resumed).singleElement().satisfies(event -> {
                assertThat(event.getWorkflowId()).isEqualTo("run-1");
                assertThat(event.getAnswer().content()).isEqualTo(
                        "after: Error: tool 'send' was not run: the approver rejected it (not today)");
            });
            assertThat(context.getBean(ApprovalResumer.class).resume("run-1")).isEmpty();
        });
    }

    @Test
    void aClaimTimeoutNotAboveTheToolTimeoutStopsStartUpNamingBothProperties() {
        runner.withPropertyValues("agent-gateway.approvals.claim-timeout=10s", "agent-gateway.tool-execution.timeout=30s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("agent-gateway.approvals.claim-timeout")
                        .hasMessageContaining("agent-gateway.tool-execution.timeout"));
    }

    @Test
    void theInstanceIdNamesWhoClaimedTheRun() {
        runner.withPropertyValues("agent-gateway.approvals.instance-id=node-7").run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            RunAwaitingApprovalException paused = catchThrowableOfType(RunAwaitingApprovalException.class,
                    () -> gateway.callWithTools(run("run-1"), (tool, arguments) -> "sent"));
            Approvals approvals = context.getBean(Approvals.class);

            approvals.approve(paused.approvals().get(0).id(), "alice");

            assertThat(approvals.forRun("run-1")).singleElement()
                    .satisfies(approval -> assertThat(approval.claimedBy()).isEqualTo("node-7"));
        });
    }
}
