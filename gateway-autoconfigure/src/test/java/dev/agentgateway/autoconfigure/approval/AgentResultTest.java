package dev.agentgateway.autoconfigure.approval;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.fixtures.approval.Mailer;
import dev.agentgateway.fixtures.approval.MailerApplication;
import dev.agentgateway.spring.agent.AgentResult;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An {@code @Agent} method returning {@link AgentResult} gets a paused run as a value, not an exception. */
class AgentResultTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApprovalAutoConfiguration.class, GatewayAutoConfiguration.class,
                    AgentAutoConfiguration.class))
            .withUserConfiguration(MailerApplication.class)
            .withPropertyValues("agent-gateway.checkpoint.enabled=true", "agent-gateway.approvals.poll-interval=0");

    private final ApplicationContextRunner approvalRequired = runner.withPropertyValues(
            "agent-gateway.tool-access.rules[0].tool=send_mail", "agent-gateway.tool-access.rules[0].require-approval=true");

    @Test
    void aPausedRunIsReturnedAsPendingWithItsRunIdAndApprovals() {
        approvalRequired.run(context -> {
            AgentResult<String> result = context.getBean(Mailer.class).send("mail bob", "run-1");

            assertThat(result.isPending()).isTrue();
            assertThat(result.runId()).isEqualTo("run-1");
            assertThat(result.pending()).singleElement().satisfies(approval -> {
                assertThat(approval.toolName()).isEqualTo("send_mail");
                assertThat(approval.arguments()).isEqualTo("{\"to\":\"bob\"}");
            });
            assertThatThrownBy(result::answer).isInstanceOf(IllegalStateException.class).hasMessageContaining("run-1");
            assertThat(context.getBean(MailerApplication.MailTools.class).sent).hasValue(0);
        });
    }

    @Test
    void aMethodThatDoesNotReturnAnAgentResultGetsThePausedRunAsAnException() {
        approvalRequired.run(context -> assertThatThrownBy(() -> context.getBean(Mailer.class).sendOrThrow("mail bob", "run-1"))
                .isInstanceOf(RunAwaitingApprovalException.class));
    }

    @Test
    void aRunThatNeedsNoApprovalIsReturnedAsItsAnswer() {
        runner.run(context -> {
            AgentResult<String> result = context.getBean(Mailer.class).send("mail bob", "run-1");

            assertThat(result.isPending()).isFalse();
            assertThat(result.answer()).isEqualTo("mailer: sent to bob (1)");
            assertThat(result.pending()).isEmpty();
        });
    }

    @Test
    void approvingThePendingRunRunsTheToolOnceAndPublishesTheAgentsAnswer() {
        approvalRequired.run(context -> {
            AgentResult<String> result = context.getBean(Mailer.class).send("mail bob", "run-1");

            context.getBean(Approvals.class).approve(result.pending().get(0).id(), "alice");

            assertThat(context.getBean(MailerApplication.MailTools.class).sent).hasValue(1);
            assertThat(context.getBean(MailerApplication.class).resumed).singleElement()
                    .satisfies(event -> assertThat(event.getAnswer().content()).isEqualTo("mailer: sent to bob (1)"));
        });
    }
}
