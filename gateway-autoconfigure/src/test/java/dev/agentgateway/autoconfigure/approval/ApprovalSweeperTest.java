package dev.agentgateway.autoconfigure.approval;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.spring.tool.Tool;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.spring.approval.ApprovalSweeper;
import dev.agentgateway.spring.approval.ApprovedRunResumedEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The sweep of durable approvals: an approval nobody decided in time is rejected and its run
 * resumed (the model reads that it expired), and a run claimed by an instance that died is taken
 * over once the claim is stale. Swept by hand, on a clock moved by hand.
 */
class ApprovalSweeperTest {

    private static final ToolSpec SEND = ToolSpec.of("send", "sends a mail", Map.of("type", "object"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApprovalAutoConfiguration.class, GatewayAutoConfiguration.class,
                    AgentAutoConfiguration.class))
            .withUserConfiguration(Setup.class)
            .withPropertyValues("agent-gateway.checkpoint.enabled=true", "agent-gateway.approvals.timeout=1h",
                    "agent-gateway.approvals.poll-interval=0",
                    "agent-gateway.tool-access.rules[0].tool=send", "agent-gateway.tool-access.rules[0].require-approval=true");

    /** A clock tests move by hand. */
    static final class HandClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Setup {
        final List<ApprovedRunResumedEvent> resumed = new CopyOnWriteArrayList<>();

        @Bean
        HandClock clock() {
            return new HandClock();
        }

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

        @Bean
        MailTool mailTool() {
            return new MailTool();
        }
    }

    /** The tool as the application declares it: what a resumed run runs. */
    static class MailTool {
        final AtomicInteger sent = new AtomicInteger();

        @Tool(name = "send", description = "sends a mail")
        public String send() {
            return "sent " + sent.incrementAndGet();
        }
    }

    private static String pause(Gateway gateway) {
        ToolExecutor neverHere = (tool, arguments) -> {
            throw new AssertionError("the paused run ran a tool before its approval");
        };
        return pause(gateway, neverHere);
    }

    private static String pause(Gateway gateway, ToolExecutor tools) {
        GatewayCall run = GatewayCall.builder().agentId("mailer").provider("scripted").model("gpt-4o-mini").user("mail it")
                .workflowId("run-1").tools(List.of(SEND)).build();
        return catchThrowableOfType(RunAwaitingApprovalException.class, () -> gateway.callWithTools(run, tools))
                .approvals().get(0).id();
    }

    @Test
    void anApprovalNobodyDecidedInTimeIsRejectedByTheSweepAndItsRunResumedReadingThatItExpired() {
        runner.run(context -> {
            pause(context.getBean(Gateway.class));
            context.getBean(HandClock.class).advance(Duration.ofHours(2));

            context.getBean(ApprovalSweeper.class).sweep();

            assertThat(context.getBean(MailTool.class).sent).hasValue(0);
            assertThat(context.getBean(Setup.class).resumed).singleElement().satisfies(event ->
                    assertThat(event.getAnswer().content()).contains("its approval expired"));
        });
    }

    @Test
    void aRunClaimedByAnInstanceThatDiedIsTakenOverByTheSweepOnceTheClaimIsStale() {
        runner.run(context -> {
            Approvals approvals = context.getBean(Approvals.class);
            HandClock clock = context.getBean(HandClock.class);
            String approval = pause(context.getBean(Gateway.class));
            // decided and claimed by an instance that then died: straight in the store, so nobody here resumes it
            approvals.store().decide(approval, ApprovalDecision.approve("alice", clock.instant()));
            approvals.store().claim("run-1", "dead-instance", clock.instant(), clock.instant().minusSeconds(1));
            ApprovalSweeper sweeper = context.getBean(ApprovalSweeper.class);

            assertThat(sweeper.sweep()).isZero();
            clock.advance(Duration.ofMinutes(6));

            assertThat(sweeper.sweep()).isEqualTo(1);
            assertThat(context.getBean(MailTool.class).sent).hasValue(1);
            assertThat(context.getBean(Setup.class).resumed).singleElement().satisfies(event ->
                    assertThat(event.getAnswer().content()).isEqualTo("after: sent 1"));
            assertThat(approvals.forRun("run-1")).singleElement()
                    .satisfies(done -> assertThat(done.claimedBy()).isNotEqualTo("dead-instance"));
        });
    }

    @Test
    void aPollIntervalOfZeroLeavesTheSweepOff() {
        runner.run(context -> {
            ApprovalSweeper sweeper = context.getBean(ApprovalSweeper.class);
            sweeper.start();
            assertThat(sweeper.isRunning()).isFalse();
        });
    }

    @Test
    void aPollIntervalStartsTheSweep() {
        runner.withPropertyValues("agent-gateway.approvals.poll-interval=1h")
                .run(context -> assertThat(context.getBean(ApprovalSweeper.class).isRunning()).isTrue());
    }
}
