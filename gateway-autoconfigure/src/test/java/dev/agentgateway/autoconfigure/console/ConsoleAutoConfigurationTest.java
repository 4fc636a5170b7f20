package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.spring.console.ConsoleAccess;
import dev.agentgateway.spring.console.ConsoleControlController;
import dev.agentgateway.spring.console.ConsoleController;
import dev.agentgateway.spring.console.ConsoleEvents;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.actuate.GatewayActuatorAutoConfiguration;
import dev.agentgateway.autoconfigure.actuate.GatewayObservabilityAutoConfiguration;
import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

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
