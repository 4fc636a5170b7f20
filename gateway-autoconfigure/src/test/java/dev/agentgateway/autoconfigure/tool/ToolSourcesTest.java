package dev.agentgateway.autoconfigure.tool;

import dev.agentgateway.spring.tool.Tool;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.fixtures.toolsources.Helpdesk;
import dev.agentgateway.fixtures.toolsources.Maintainer;
import dev.agentgateway.fixtures.toolsources.ToolSourcesApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Every tool is a gateway tool: an MCP server's tools (a real server over stdio, through Spring
 * AI's MCP tool callbacks), {@code ToolCallback} beans and {@code @Tool} methods are offered,
 * permitted, rate-limited, timed out, recorded and checkpointed under the same rules. The
 * configuration denies by default and grants some of each; wildcard rules cover the MCP names.
 */
@SpringBootTest(classes = ToolSourcesTest.App.class, properties = {
        "agent-gateway.tool-access.default-policy=deny",
        "agent-gateway.tool-access.rules[0].tool=github_*",
        "agent-gateway.tool-access.rules[0].allowed-agents=helpdesk,maintainer",
        "agent-gateway.tool-access.rules[1].tool=github_delete_*",
        "agent-gateway.tool-access.rules[1].denied-agents=helpdesk,maintainer",
        "agent-gateway.tool-access.rules[2].tool=weather",
        "agent-gateway.tool-access.rules[2].allowed-agents=helpdesk",
        "agent-gateway.tool-access.rules[3].tool=lookup",
        "agent-gateway.tool-access.rules[3].allowed-agents=helpdesk",
        "agent-gateway.tools.github_list_labels.rate-limit.limit-for-period=1",
        "agent-gateway.tools.github_list_labels.rate-limit.refresh-period=1h",
        "agent-gateway.tools.github_list_labels.rate-limit.timeout=0s",
        "agent-gateway.tool-execution.timeout=5s",
        "agent-gateway.checkpoint.enabled=true"
})
class ToolSourcesTest {

    private static final Path MCP_CALLS;

    static {
        try {
            MCP_CALLS = Files.createTempFile("mcp-calls", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({GatewayAutoConfiguration.class, AgentAutoConfiguration.class, ResilienceAutoConfiguration.class})
    @Import(ToolSourcesApplication.class)
    static class App {
    }

    @DynamicPropertySource
    static void mcpCallLog(DynamicPropertyRegistry registry) {
        registry.add("test.mcp.call-log", MCP_CALLS::toString);
    }

    @Autowired
    Helpdesk helpdesk;

    @Autowired
    Maintainer maintainer;

    @Autowired
    Gateway gateway;

    @Autowired
    ScriptedLlmClient model;

    @Autowired
    ToolSourcesApplication.Counters counters;

    @Autowired
    ToolRegistry registry;

    private int requestsBefore;

    @BeforeEach
    void reset() throws IOException {
        gateway.reset();
        requestsBefore = model.requestCount();
        counters.reset();
        Files.writeString(MCP_CALLS, "");
    }

    @Test
    void theMcpServersToolsAreRegisteredUnderTheirOwnNamesWithTheirSchemas() {
        assertThat(registry.find("github_search_issues")).hasValueSatisfying(tool -> {
            assertThat(tool.spec().description()).isEqualTo("Searches the issues of a repository");
            assertThat(tool.spec().requiredParameters()).containsExactly("query");
            assertThat(tool.origin()).contains("ToolCallbackProvider bean 'githubTools'");
        });
        assertThat(registry.find("weather")).hasValueSatisfying(tool -> assertThat(tool.origin()).isEqualTo("ToolCallback bean 'weather'"));
    }

    @Test
    void onlyThePermittedToolOfEachSourceIsOfferedToTheModel() {
        helpdesk.ask("help");

        List<String> offered = request(0).tools().stream().map(ToolSpec::name).toList();
        assertThat(offered).containsExactly("github_search_issues", "weather", "lookup");
    }

    @Test
    void onlyThePermittedToolOfEachSourceRunsWhenTheModelAsksForAll() throws IOException {
        assertThat(helpdesk.ask("help")).isEqualTo("done");

        assertThat(Files.readAllLines(MCP_CALLS)).containsExactly("github_search_issues");
        assertThat(counters.snapshot()).containsEntry("weather", 1).containsEntry("lookup", 1)
                .containsEntry("shell_exec", 0).containsEntry("wipe_disk", 0);
        assertThat(gateway.getToolCallHistory("helpdesk", null))
                .extracting(ToolCallRecord::toolName, ToolCallRecord::outcome)
                .containsExactlyInAnyOrder(
                        tuple("github_search_issues", ToolCallOutcome.SUCCESS),
                        tuple("github_delete_repo", ToolCallOutcome.UNKNOWN_TOOL),
                        tuple("weather", ToolCallOutcome.SUCCESS),
                        tuple("shell_exec", ToolCallOutcome.UNKNOWN_TOOL),
                        tuple("lookup", ToolCallOutcome.SUCCESS),
                        tuple("wipe_disk", ToolCallOutcome.UNKNOWN_TOOL));
    }

    @Test
    void theMcpServersAnswerGoesBackToTheModelAsTheToolResult() {
        helpdesk.ask("help");

        LlmMessage result = toolResult(request(1).messages(), "github_search_issues");
        // Spring AI's MCP callback answers with the server's content list as JSON
        assertThat(result.content()).isEqualTo("[{\"text\":\"3 open issues match 'crash'\"}]");
        assertThat(toolResult(request(1).messages(), "weather").content()).isEqualTo("12 °C in Oslo");
    }

    @Test
    void anMcpToolsRateLimitRefusesTheSecondCallAndTellsTheModel() throws IOException {
        maintainer.ask("use github_list_labels");
        maintainer.ask("use github_list_labels");

        assertThat(Files.readAllLines(MCP_CALLS)).containsExactly("github_list_labels");
        List<ToolCallRecord> calls = gateway.getToolCallHistory("maintainer", null);
        assertThat(calls).extracting(ToolCallRecord::outcome).containsExactly(ToolCallOutcome.SUCCESS, ToolCallOutcome.ERROR);
        assertThat(calls.get(1).result()).startsWith("Error:").contains("github_list_labels");
    }

    @Test
    void anMcpToolThatDoesNotAnswerInTimeIsATimedOutToolCall() {
        assertThat(maintainer.ask("use github_wait")).isEqualTo("done");

        assertThat(gateway.getToolCallHistory("maintainer", null)).extracting(ToolCallRecord::toolName, ToolCallRecord::outcome)
                .containsExactly(tuple("github_wait", ToolCallOutcome.TIMEOUT));
    }

    @Test
    void anMcpToolsResultIsCheckpointedWithTheRun() {
        maintainer.ask("use github_search_issues", "run-mcp-1");

        List<Checkpoint> checkpoints = gateway.getCheckpoints("run-mcp-1");
        assertThat(checkpoints).isNotEmpty();
        assertThat(checkpoints.get(checkpoints.size() - 1).messages())
                .filteredOn(message -> "github_search_issues".equals(message.name()))
                .extracting(LlmMessage::content).singleElement().asString().contains("3 open issues match 'crash'");
    }

    /** The n-th request the model saw in this test. */
    private dev.agentgateway.core.provider.LlmRequest request(int n) {
        return model.requests().get(requestsBefore + n);
    }

    private static LlmMessage toolResult(List<LlmMessage> messages, String tool) {
        return messages.stream().filter(message -> message.role() == LlmMessage.Role.TOOL && tool.equals(message.name()))
                .findFirst().orElseThrow(() -> new AssertionError("no result of " + tool + " in " + messages));
    }
}
