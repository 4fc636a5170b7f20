package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.autoconfigure.approval.ApprovalAutoConfiguration;
import dev.agentgateway.spring.console.ConsoleAccess;
import dev.agentgateway.spring.console.ConsoleApprovalsController;
import dev.agentgateway.spring.console.ConsoleControlController;
import dev.agentgateway.spring.console.ConsoleController;
import dev.agentgateway.spring.console.ConsoleEvents;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.actuate.GatewayActuatorAutoConfiguration;
import dev.agentgateway.autoconfigure.actuate.GatewayObservabilityAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.spring.actuate.AgentGatewayControlEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When the console exists, and that its live updates reach the gateway. */
class ConsoleAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, GatewayObservabilityAutoConfiguration.class,
                    GatewayActuatorAutoConfiguration.class, ConsoleAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=agentgateway,agentcalls");

    @Test
    void theConsoleIsOffUnlessEnabled() {
        runner.run(context -> assertThat(context).hasSingleBean(Gateway.class)
                .doesNotHaveBean(ConsoleController.class).doesNotHaveBean(ConsoleEvents.class));
    }

    @Test
    void anEnabledConsoleIsOpenWithoutSpringSecurity() {
        runner.withPropertyValues("agent-gateway.console.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(ConsoleController.class).doesNotHaveBean(ConsoleControlController.class);
            ConsoleEvents events = context.getBean(ConsoleEvents.class);
            assertThat(events.subscribers()).isZero();
            assertThat(context.getBean(ConsoleAccess.class).secured()).isFalse();
        });
    }

    @Test
    void actionsExistOnlyWithTheEndpointsWriteOperations() {
        runner.withPropertyValues("agent-gateway.console.enabled=true", "agent-gateway.actuator.write-enabled=true")
                .run(context -> assertThat(context).hasSingleBean(ConsoleControlController.class));
    }

    @Test
    void actionsAreAbsentWhenActuatorCapsTheEndpointToReadOnly() {
        runner.withPropertyValues("agent-gateway.console.enabled=true", "agent-gateway.actuator.write-enabled=true",
                "management.endpoint.agentgateway.access=READ_ONLY").run(context -> {
            assertThat(context).hasSingleBean(AgentGatewayControlEndpoint.class).doesNotHaveBean(ConsoleControlController.class);
            assertThat(context.getBean(ConsoleController.class).session(new MockHttpServletRequest())).containsEntry("writeEnabled", false);
        });
    }

    @Test
    void theSessionOffersActionsOnlyWhereTheyAreMapped() {
        runner.withPropertyValues("agent-gateway.console.enabled=true", "agent-gateway.actuator.write-enabled=true")
                .run(context -> assertThat(context.getBean(ConsoleController.class).session(new MockHttpServletRequest()))
                        .containsEntry("writeEnabled", true));
    }

    @Test
    void approvalsAreDecidedOnlyWhileActuatorTakesDecisions() {
        WebApplicationContextRunner approvals = runner.withConfiguration(AutoConfigurations.of(ApprovalAutoConfiguration.class))
                .withPropertyValues("agent-gateway.console.enabled=true",
                "management.endpoints.web.exposure.include=agentgateway,agentapprovals");
        approvals.run(context -> assertThat(decides(context)).isFalse());
        approvals.withPropertyValues("agent-gateway.actuator.write-enabled=true")
                .run(context -> assertThat(decides(context)).isTrue());
        approvals.withPropertyValues("agent-gateway.actuator.write-enabled=true", "management.endpoint.agentapprovals.access=READ_ONLY")
                .run(context -> assertThat(decides(context)).isFalse());
    }

    /** Whether the console's approvals answer tells an operator (no Spring Security here) that they may decide. */
    private static boolean decides(ApplicationContext context) {
        Map<String, Object> answer = context.getBean(ConsoleApprovalsController.class).pending(new MockHttpServletRequest()).getBody();
        return (Boolean) answer.get("writeEnabled");
    }

    @Test
    void thereIsNoConsoleOutsideAWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, ConsoleAutoConfiguration.class))
                .withPropertyValues("agent-gateway.console.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ConsoleController.class));
    }

    @Test
    void aPathEndingInASlashStopsStartUp() {
        runner.withPropertyValues("agent-gateway.console.enabled=true", "agent-gateway.console.path=/console/")
                .run(context -> assertThat(context).hasFailed());
    }
}
