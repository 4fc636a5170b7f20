package dev.agentgateway.autoconfigure.config;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A key that has moved stops start-up naming the key it is now. */
class MovedPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class,
                    ResilienceAutoConfiguration.class));

    @Test
    void theOldToolTimeoutNamesToolExecutionTimeout() {
        runner.withPropertyValues("agent-gateway.tools.timeout=30s").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("agent-gateway.tools.timeout");
            assertThat(analysis.getAction()).contains(
                    "agent-gateway.tools.timeout: has moved to agent-gateway.tool-execution.timeout");
        });
    }

    @Test
    void theOldToolMaxIterationsNamesToolExecutionMaxIterations() {
        runner.withPropertyValues("agent-gateway.tools.max-iterations=4").run(context -> assertThat(analysis(context).getAction())
                .contains("agent-gateway.tools.max-iterations: has moved to agent-gateway.tool-execution.max-iterations"));
    }

    @Test
    void theToolExecutionKeysStartCleanly() {
        runner.withPropertyValues("agent-gateway.tool-execution.timeout=5s", "agent-gateway.tool-execution.max-iterations=4")
                .run(context -> assertThat(context).hasNotFailed());
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }
}
