package dev.agentgateway.autoconfigure.config;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.ProviderClientsAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider name that resolves to no provider stops start-up, listing the providers there are. */
class ProviderNamesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, GatewayChecksAutoConfiguration.class, AgentAutoConfiguration.class,
                    ResilienceAutoConfiguration.class, ProviderClientsAutoConfiguration.class));

    @Test
    void aMisspeltDefaultProviderFailsStartUpListingTheKnownOnes() {
        runner.withPropertyValues("agent-gateway.default-provider=opneai",
                "agent-gateway.providers.openai.api-key=sk-test").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).isEqualTo("agent-gateway.default-provider (from \"agent-gateway.default-provider\""
                    + " from property source \"test\") names the provider 'opneai', which this application does not have.");
            assertThat(analysis.getAction()).startsWith("Name one of the providers this application has: mock, openai.")
                    .contains("agent-gateway.providers.<id>");
        });
    }

    @Test
    void anAgentsUnknownProviderFailsStartUp() {
        runner.withPropertyValues("agent-gateway.agents.researcher.provider=anthropc").run(context ->
                assertThat(analysis(context).getDescription()).startsWith("agent-gateway.agents.researcher.provider (from")
                        .endsWith("names the provider 'anthropc', which this application does not have."));
    }

    @Test
    void anUnknownFallbackProviderFailsStartUp() {
        runner.withPropertyValues("agent-gateway.resilience.fallbacks[0].provider=antropic").run(context ->
                assertThat(analysis(context).getDescription()).startsWith("agent-gateway.resilience.fallbacks[0].provider (from")
                        .contains("'antropic'"));
    }

    @Test
    void anAgentsUnknownFallbackProviderFailsStartUp() {
        runner.withPropertyValues("agent-gateway.agents.researcher.fallbacks[0].provider=gemni").run(context ->
                assertThat(analysis(context).getDescription()).startsWith("agent-gateway.agents.researcher.fallbacks[0].provider (from")
                        .contains("'gemni'"));
    }

    @Test
    void configuredProvidersAndTheirCanonicalNamesStartCleanly() {
        runner.withPropertyValues("agent-gateway.default-provider=OpenAI", "agent-gateway.providers.openai.api-key=sk-test",
                "agent-gateway.agents.researcher.provider=mock").run(context -> assertThat(context).hasNotFailed());
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }
}
