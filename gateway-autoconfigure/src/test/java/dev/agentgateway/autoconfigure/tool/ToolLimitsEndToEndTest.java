package dev.agentgateway.autoconfigure.tool;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.RunTotals;
import dev.agentgateway.core.provider.ScriptedLlmClient;
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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-tool limits, result size and run totals end to end, over the three sources of tools: a real
 * MCP server's (stdio, Spring AI's MCP callbacks), ToolCallback beans and @Tool methods, under a
 * deny default with rules for some of each, configured only in agent-gateway.tools.*.
 */
@SpringBootTest(classes = ToolLimitsEndToEndTest.App.class, properties = {
        "agent-gateway.tool-access.default-policy=deny",
        "agent-gateway.tool-access.rules[0].tool=github_*",
        "agent-gateway.tool-access.rules[0].allowed-agents=helpdesk,maintainer",
        "agent-gateway.tool-access.rules[1].tool=github_delete_*",
        "agent-gateway.tool-access.rules[1].denied-agents=helpdesk,maintainer",
        "agent-gateway.tool-access.rules[2].tool=weather",
        "agent-gateway.tool-access.rules[2].allowed-agents=helpdesk",
        "agent-gateway.tool-access.rules[3].tool=lookup",
        "agent-gateway.tool-access.rules[3].allowed-agents=helpdesk",
        "agent-gateway.tools.[github_*].max-calls-per-run=2",
        "agent-gateway.tools.github_fetch_file.max-result-size=10",
        "agent-gateway.tools.weather.max-calls-per-agent=5",
        "agent-gateway.tools.weather.cost-per-call=0.002",
        "agent-gateway.tools.lookup.cost-per-call=0.001",
        "agent-gateway.tool-execution.timeout=10s"
})
class ToolLimitsEndToEndTest {

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

    private int requestsBefore;

    @BeforeEach
    void reset() throws IOException {
        gateway.reset();
        requestsBefore = model.requestCount();
        counters.reset();
        Files.writeString(MCP_CALLS, "");
    }

    @Test
    void aPatternsCallsPerRunHoldForTheMcpToolsOfOneTurnTogether() throws IOException {
        maintainer.ask("use github_search_issues github_list_labels github_search_issues", "run-pattern");

        List<ToolCallRecord> calls = gateway.getToolCallHistory("maintainer", null);
        assertThat(calls).extracting(ToolCallRecord::outcome).hasSize(3).containsOnlyOnce(ToolCallOutcome.LIMIT_REACHED);
        // the two admitted calls go to the one stdio MCP client in parallel; what reached the server is at most them
        assertThat(Files.readAllLines(MCP_CALLS)).hasSizeBetween(1, 2);
        LlmMessage refused = toolResults(request(1)).stream()
                .filter(message -> message.content().startsWith("tool limit reached:")).findFirst().orElseThrow();
        assertThat(refused.content()).contains("may be called 2 time(s) in one run", "together with the other tools matching 'github_*'");
    }

    @Test
    void aToolCallbacksCallsPerAgentStayExactOverManyRunsOnManyThreads() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String workflowId = "run-weather-" + i;
                runs.add(pool.submit(() -> {
                    start.await();
                    return helpdesk.ask("use weather weather", workflowId);
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(counters.weather).hasValue(5);
        assertThat(gateway.getToolCallHistory("helpdesk", null)).extracting(ToolCallRecord::outcome)
                .filteredOn(ToolCallOutcome.LIMIT_REACHED::equals).hasSize(2 * threads - 5);
        assertThat(gateway.limits().usage(LimitScope.agent("helpdesk")).reservedCost()).isEqualByComparingTo("0");
    }

    @Test
    void anMcpResultOverItsSizeIsCutBeforeTheModelSeesItAndRecordedAsCut() {
        maintainer.ask("use github_fetch_file", "run-cut");

        LlmMessage seen = toolResults(request(1)).get(0);
        assertThat(seen.content()).startsWith("[{\"text\":\"\n[truncated by the gateway: the result was ")
                .endsWith("characters, only the first 10 are shown]");
        assertThat(gateway.getToolCallHistory("maintainer", null)).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.TRUNCATED);
            assertThat(record.result()).isEqualTo(seen.content());
        });
    }

    @Test
    void theRunTotalsOfAnAgentsAnswerAreTheSumsOfItsHistoryToolCostsIncluded() {
        LlmResponse answer = helpdesk.answer("help", "run-totals");

        RunTotals totals = answer.runTotals();
        List<CallRecord> calls = gateway.getCallHistory("helpdesk", null).stream()
                .filter(record -> "run-totals".equals(record.workflowId())).toList();
        List<ToolCallRecord> toolCalls = gateway.getToolCallHistory("helpdesk", null).stream()
                .filter(record -> "run-totals".equals(record.workflowId())).toList();
        assertThat(totals.steps()).isEqualTo(calls.size()).isEqualTo(2);
        assertThat(totals.inputTokens()).isEqualTo(calls.stream().mapToLong(r -> r.response().inputTokens()).sum());
        assertThat(totals.outputTokens()).isEqualTo(calls.stream().mapToLong(r -> r.response().outputTokens()).sum());
        assertThat(totals.modelCost()).isEqualByComparingTo(calls.stream().map(CallRecord::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(totals.toolCalls()).isEqualTo(toolCalls.size()).isEqualTo(6);
        assertThat(totals.toolCost()).as("weather and lookup ran, each at its cost").isEqualByComparingTo("0.003");
        assertThat(totals.cost()).isEqualByComparingTo(gateway.limits().usage(LimitScope.workflow("run-totals")).committedCost());
    }

    @Test
    void anAgentResultCarriesTheSameRunTotalsAsTheLlmResponse() {
        RunTotals viaResponse = helpdesk.answer("help", "run-a").runTotals();
        gateway.reset();

        RunTotals viaResult = helpdesk.result("help", "run-b").runTotals();

        assertThat(viaResult).isNotNull();
        assertThat(viaResult.steps()).isEqualTo(viaResponse.steps()).isEqualTo(2);
        assertThat(viaResult.toolCalls()).isEqualTo(viaResponse.toolCalls()).isEqualTo(6);
        assertThat(viaResult.cost()).isEqualByComparingTo(gateway.limits().usage(LimitScope.workflow("run-b")).committedCost());
    }

    /** The n-th request the model saw in this test. */
    private LlmRequest request(int n) {
        return model.requests().get(requestsBefore + n);
    }

    private static List<LlmMessage> toolResults(LlmRequest request) {
        return request.messages().stream().filter(message -> message.role() == LlmMessage.Role.TOOL).toList();
    }
}
