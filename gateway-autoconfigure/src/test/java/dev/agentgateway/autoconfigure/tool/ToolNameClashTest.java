package dev.agentgateway.autoconfigure.tool;

import dev.agentgateway.spring.tool.Tool;
import dev.agentgateway.spring.tool.RegisteredTool;
import dev.agentgateway.spring.tool.DuplicateToolNameException;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.config.GatewayConfigurationFailureAnalyzer;
import dev.agentgateway.fixtures.clash.ClashApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A tool name two sources declare stops start-up, naming both; the same method published twice does not. */
class ToolNameClashTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class));

    @Test
    void aToolCallbackBeanNamedLikeAToolMethodStopsStartUpNamingBoth() {
        runner.withUserConfiguration(ClashApplication.MethodTool.class, ClashApplication.CallbackBean.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(DuplicateToolNameException.class);
            FailureAnalysis analysis = new GatewayConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .isEqualTo("Two tools are named 'search': searchTools.search and ToolCallback bean 'searchCallback'.");
            assertThat(analysis.getAction()).contains("@Tool(name = \"...\")").contains("McpToolNamePrefixGenerator");
        });
    }

    @Test
    void twoToolCallbackProvidersWithTheSameToolStopStartUpNamingBothProviders() {
        runner.withUserConfiguration(ClashApplication.TwoProviders.class).run(context -> {
            assertThat(context).hasFailed();
            DuplicateToolNameException clash = (DuplicateToolNameException) new GatewayConfigurationFailureAnalyzer()
                    .analyze(context.getStartupFailure()).getCause();
            assertThat(clash.toolName()).isEqualTo("search");
            assertThat(clash.firstOrigin()).contains("ToolCallbackProvider bean 'wikiServer'");
            assertThat(clash.secondOrigin()).contains("ToolCallbackProvider bean 'ticketServer'");
        });
    }

    @Test
    void aMethodToolCallbackProviderRepublishingABeansToolMethodsIsNoClash() {
        runner.withUserConfiguration(ClashApplication.MethodTool.class, ClashApplication.Republished.class).run(context -> {
            assertThat(context).hasNotFailed();
            ToolRegistry registry = context.getBean(ToolRegistry.class);
            assertThat(registry.all()).extracting(RegisteredTool::name).containsExactly("search");
            assertThat(registry.execute("search", Map.of("text", "limits"))).isEqualTo("wiki: limits");
        });
    }
}
