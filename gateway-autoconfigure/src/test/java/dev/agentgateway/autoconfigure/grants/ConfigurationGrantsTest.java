package dev.agentgateway.autoconfigure.grants;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.config.GatewayConfigurationFailureAnalyzer;
import dev.agentgateway.fixtures.offered.Clerk;
import dev.agentgateway.fixtures.offered.GrantsApplication;
import dev.agentgateway.fixtures.typo.TypoApplication;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Configuration grants, code narrows: what an {@code @Agent} lists is offered only when configuration permits it. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationGrantsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class))
            .withUserConfiguration(GrantsApplication.class);

    @Test
    void underDefaultPolicyDenyAToolOnlyTheAnnotationListsIsNeverOfferedNorRun() {
        runner.withPropertyValues("agent-gateway.tool-access.default-policy=deny",
                "agent-gateway.tool-access.rules[0].tool=lookup",
                "agent-gateway.tool-access.rules[0].allowed-agents=clerk").run(context -> {
            assertThat(context.getBean(Clerk.class).ask("clean up")).isEqualTo("done");
            assertThat(offeredToolsSeenByTheModel(context)).containsExactly("lookup");
            assertThat(context.getBean(GrantsApplication.ClerkTools.class).wipes).hasValue(0);
            assertThat(context.getBean(Gateway.class).getToolCallHistory("clerk", null))
                    .extracting(ToolCallRecord::toolName, ToolCallRecord::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("wipe_disk", ToolCallOutcome.UNKNOWN_TOOL));
        });
    }

    @Test
    void aRuleThatAllowsTheToolOnlyToAnotherAgentWinsOverTheAnnotation() {
        runner.withPropertyValues("agent-gateway.tool-access.rules[0].tool=wipe_disk",
                "agent-gateway.tool-access.rules[0].allowed-agents=admin").run(context -> {
            context.getBean(Clerk.class).ask("clean up");
            assertThat(offeredToolsSeenByTheModel(context)).containsExactly("lookup");
            assertThat(context.getBean(GrantsApplication.ClerkTools.class).wipes).hasValue(0);
        });
    }

    @Test
    void allowedToolsGrantWhatTheAnnotationLists() {
        runner.withPropertyValues("agent-gateway.tool-access.default-policy=deny",
                "agent-gateway.agents.clerk.allowed-tools=lookup,wipe_disk").run(context -> {
            context.getBean(Clerk.class).ask("clean up");
            assertThat(offeredToolsSeenByTheModel(context)).containsExactly("lookup", "wipe_disk");
            assertThat(context.getBean(GrantsApplication.ClerkTools.class).wipes).hasValue(1);
        });
    }

    @Test
    void aDeniedAgentStaysDeniedWhateverItsAllowedToolsSay() {
        runner.withPropertyValues("agent-gateway.agents.clerk.allowed-tools=lookup,wipe_disk",
                "agent-gateway.tool-access.rules[0].tool=wipe_*",
                "agent-gateway.tool-access.rules[0].denied-agents=clerk").run(context -> {
            context.getBean(Clerk.class).ask("clean up");
            assertThat(offeredToolsSeenByTheModel(context)).containsExactly("lookup");
            assertThat(context.getBean(GrantsApplication.ClerkTools.class).wipes).hasValue(0);
        });
    }

    @Test
    void startUpLogsEachAgentsEffectiveToolsAndWarnsAboutEachDeniedOne(CapturedOutput output) {
        runner.withPropertyValues("agent-gateway.tool-access.default-policy=deny",
                "agent-gateway.agents.clerk.allowed-tools=lookup").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("Agent 'clerk': provider 'scripted', model '(provider default)', tools [lookup]")
                    .containsPattern("WARN .*Agent 'clerk' lists the tool 'wipe_disk', but the tool access configuration"
                            + " denies it to this agent: it is not offered");
        });
    }

    @Test
    void aRuleForNoExistingToolIsWarnedAbout(CapturedOutput output) {
        runner.withPropertyValues("agent-gateway.tool-access.rules[0].tool=wipe_dsk",
                "agent-gateway.tool-access.rules[0].denied-agents=clerk").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).containsPattern("WARN .*agent-gateway.tool-access.rules\\[0]\\.tool .*is 'wipe_dsk', which matches"
                    + " no tool of this application \\(tools: lookup, wipe_disk\\)");
        });
    }

    @Test
    void aToolTheAnnotationNamesThatNoToolDefinesFailsStartUpListingTheKnownOnes() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class))
                .withUserConfiguration(TypoApplication.class).run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).isEqualTo("@Agent(tools = ...) on "
                            + "dev.agentgateway.fixtures.typo.Forgetful names the tool 'serch' for agent 'forgetful',"
                            + " but no tool of that name exists.");
                    assertThat(analysis.getAction()).startsWith("Name one of the tools this application defines: lookup, wipe_disk;");
                });
    }

    private static List<String> offeredToolsSeenByTheModel(AssertableApplicationContext context) {
        return context.getBean(ScriptedLlmClient.class).requests().get(0).tools().stream().map(ToolSpec::name).toList();
    }
}
