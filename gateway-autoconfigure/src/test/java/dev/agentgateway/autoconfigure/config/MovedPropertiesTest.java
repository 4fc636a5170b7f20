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
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, GatewayChecksAutoConfiguration.class, AgentAutoConfiguration.class,
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

    @Test
    void anAgentsOldRateLimitNamesItsKeyUnderTheAgent() {
        runner.withPropertyValues("agent-gateway.resilience.agents.chatty.rate-limit.limit-for-period=1").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("agent-gateway.resilience.agents.chatty.rate-limit.limit-for-period");
            assertThat(analysis.getAction()).contains("agent-gateway.resilience.agents.chatty.rate-limit.limit-for-period:"
                    + " has moved to agent-gateway.agents.chatty.rate-limit.limit-for-period");
        });
    }

    @Test
    void anAgentsOldFallbacksNameTheirKeyUnderTheAgent() {
        runner.withPropertyValues("agent-gateway.resilience.agents.chatty.fallbacks[0].provider=mock").run(context ->
                assertThat(analysis(context).getAction()).contains(
                        "has moved to agent-gateway.agents.chatty.fallbacks[0].provider"));
    }

    @Test
    void aToolsOldRateLimitNamesItsKeyUnderTheTool() {
        runner.withPropertyValues("agent-gateway.resilience.tools.search.rate-limit.refresh-period=1m").run(context ->
                assertThat(analysis(context).getAction()).contains("agent-gateway.resilience.tools.search.rate-limit.refresh-period:"
                        + " has moved to agent-gateway.tools.search.rate-limit.refresh-period"));
    }

    @Test
    void aToolCalledLikeAnOldKeyIsAToolNotAMovedKey() {
        runner.withPropertyValues("agent-gateway.tools.timeout.rate-limit.limit-for-period=2")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theNewPlacesOfAgentAndToolSettingsStartCleanly() {
        runner.withPropertyValues("agent-gateway.agents.chatty.rate-limit.limit-for-period=1",
                "agent-gateway.agents.chatty.rate-limit.refresh-period=1h", "agent-gateway.agents.chatty.fallbacks[0].provider=mock",
                "agent-gateway.agents.chatty.fallbacks[0].model=m", "agent-gateway.tools.search.rate-limit.limit-for-period=3",
                "agent-gateway.resilience.fallbacks[0].provider=mock", "agent-gateway.resilience.retry.max-attempts=2")
                .run(context -> assertThat(context).hasNotFailed());
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }
}
