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

/** A key under agent-gateway that is no property stops start-up, at every depth. */
class UnknownPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, GatewayChecksAutoConfiguration.class, AgentAutoConfiguration.class,
                    ResilienceAutoConfiguration.class));

    @Test
    void aMisspeltTopLevelGroupFailsStartUpNamingTheKeyAndTheLikelyOne() {
        runner.withPropertyValues("agent-gateway.limts.max-budget=0.01").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).isEqualTo("This key is not a property of the Agent Gateway:\n\n"
                    + "    agent-gateway.limts.max-budget (from \"agent-gateway.limts.max-budget\" from property source \"test\")");
            assertThat(analysis.getAction()).startsWith("Correct or remove it.\n"
                    + "    agent-gateway.limts.max-budget: did you mean agent-gateway.limits? (the keys under agent-gateway are ");
        });
    }

    @Test
    void aMisspeltKeyInsideAGroupFailsStartUp() {
        runner.withPropertyValues("agent-gateway.limits.max-budgt=0.01").run(context ->
                assertThat(analysis(context).getAction()).contains("did you mean agent-gateway.limits.max-budget?"));
    }

    @Test
    void aMisspeltKeyInsideAnAgentEntryFailsStartUp() {
        runner.withPropertyValues("agent-gateway.agents.researcher.provder=openai").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("agent-gateway.agents.researcher.provder");
            assertThat(analysis.getAction()).contains("did you mean agent-gateway.agents.researcher.provider?");
        });
    }

    @Test
    void aMisspeltKeyInsideAProviderEntryFailsStartUp() {
        runner.withPropertyValues("agent-gateway.providers.openai.api-kee=sk-none").run(context ->
                assertThat(analysis(context).getAction()).contains("did you mean agent-gateway.providers.openai.api-key?"));
    }

    @Test
    void aMisspeltKeyInsideAListElementFailsStartUp() {
        runner.withPropertyValues("agent-gateway.tool-access.rules[0].tool=search",
                "agent-gateway.tool-access.rules[0].denied-agent=intern").run(context ->
                assertThat(analysis(context).getAction())
                        .contains("did you mean agent-gateway.tool-access.rules[0].denied-agents?"));
    }

    @Test
    void aMisspeltKeyOfAnotherPropertiesClassFailsStartUpEvenWhenItsAutoConfigurationIsOff() {
        runner.withPropertyValues("agent-gateway.jdbc.initialise-schema=always").run(context ->
                assertThat(analysis(context).getAction()).contains("did you mean agent-gateway.jdbc.initialize-schema?"));
    }

    @Test
    void aMisspeltStreamKeyFailsStartUpAndTheStreamKeysAreKnown() {
        runner.withPropertyValues("agent-gateway.stream.timeout=2m", "agent-gateway.stream.repetition.enabled=true",
                "agent-gateway.stream.repetition.repeets=5").run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription()).contains("agent-gateway.stream.repetition.repeets")
                            .doesNotContain("agent-gateway.stream.timeout").doesNotContain("repetition.enabled");
                    assertThat(analysis.getAction()).contains("did you mean agent-gateway.stream.repetition.repeats?");
                });
    }

    @Test
    void everyUnknownKeyIsListed() {
        runner.withPropertyValues("agent-gateway.limts.max-budget=0.01", "agent-gateway.histroy.capacity=5").run(context ->
                assertThat(analysis(context).getDescription()).startsWith("These keys are not properties of the Agent Gateway:")
                        .contains("agent-gateway.histroy.capacity").contains("agent-gateway.limts.max-budget"));
    }

    @Test
    void aBadValueOfAKnownKeyIsLeftToBootsOwnReport() {
        runner.withPropertyValues("agent-gateway.limits.max-budget=plenty").run(context -> {
            assertThat(context).hasFailed();
            assertThat(new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
        });
    }

    @Test
    void knownKeysOfEveryShapeStartCleanly() {
        runner.withPropertyValues("agent-gateway.enabled=true", "agent-gateway.default-provider=mock",
                "agent-gateway.limits.max-budget=1", "agent-gateway.limits.warning-threshold=0.5",
                "agent-gateway.agents.researcher.max-steps=3", "agent-gateway.agents.researcher.allowed-tools=a,b",
                "agent-gateway.agents.writer.allowed-tools[0]=a", "agent-gateway.agents.writer.allowed-tools[1]=b",
                "agent-gateway.tenants.acme.max-budget=2", "agent-gateway.pricing.my-model.input-per-million=1",
                "agent-gateway.pricing.my-model.output-per-million=2",
                "agent-gateway.tool-access.rules[0].tool=a", "agent-gateway.tool-access.rules[0].allowed-agents[0]=researcher",
                "agent-gateway.tool-access.rules[1].tool=b", "agent-gateway.tool-access.rules[1].denied-agents=writer",
                "agent-gateway.jdbc.initialize-schema=never", "agent-gateway.actuator.write-enabled=false",
                "agent-gateway.persistence.retention.enabled=false").run(context -> assertThat(context).hasNotFailed());
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }
}
