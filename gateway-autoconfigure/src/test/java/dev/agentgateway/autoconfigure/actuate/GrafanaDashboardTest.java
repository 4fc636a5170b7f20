package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.metrics.GatewayMetricsListener;
import dev.agentgateway.spring.actuate.metrics.GatewayStateMeterBinder;
import dev.agentgateway.spring.actuate.metrics.HistoryQueueMeterBinder;
import dev.agentgateway.spring.HistoryQueueStats;
import dev.agentgateway.spring.actuate.observation.GatewayObservations;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessRule;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Grafana dashboard in {@code docs/grafana} queries only series that a Prometheus registry
 * really publishes for the gateway's meters and observations, with label names that exist.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "agent-gateway-dashboard.json");

    @Test
    void everyQueriedSeriesIsPublished() throws IOException {
        String scrape = scrapeAfterEveryKindOfEvent();
        Set<String> published = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        Matcher series = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s").matcher(scrape);
        while (series.find()) {
            published.add(series.group(1));
            if (series.group(3) != null) {
                Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(series.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }

        JsonNode dashboard = Http.JSON.readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        collectExpressions(dashboard, expressions);

        assertThat(dashboard.get("title").asString()).isEqualTo("Agent Gateway");
        assertThat(expressions).hasSizeGreaterThan(10);
        Set<String> queried = new TreeSet<>();
        Set<String> queriedLabels = new TreeSet<>();
        for (String expression : expressions) {
            String text = expression.replaceAll("\\$\\w+", "x");
            Matcher selector = Pattern.compile("\\{([^}]*)}").matcher(text);
            while (selector.find()) {
                Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)").matcher(selector.group(1));
                while (label.find()) {
                    queriedLabels.add(label.group(1));
                }
            }
            Matcher grouping = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)").matcher(text);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (!label.isBlank()) {
                        queriedLabels.add(label.strip());
                    }
                }
            }
            String withoutLabels = text.replaceAll("\\{[^}]*}", " ").replaceAll("\\b(?:by|without)\\s*\\([^)]*\\)", " ");
            Matcher names = Pattern.compile("\\b((?:gen_ai|agent_gateway)_[a-z0-9_]+)\\b").matcher(withoutLabels);
            while (names.find()) {
                queried.add(names.group(1));
            }
        }
        assertThat(queried).as("metric names in the dashboard").isNotEmpty()
                .contains("gen_ai_client_operation_duration_seconds_bucket", "gen_ai_client_token_usage_sum",
                        "agent_gateway_cost_usd_total", "agent_gateway_limit_refusals_total", "agent_gateway_loops_detected_total",
                        "agent_gateway_tool_calls_total", "agent_gateway_tool_denials_total", "agent_gateway_budget_remaining_usd");
        assertThat(published).as("series published by the registry").containsAll(queried);
        assertThat(queriedLabels).as("labels in the dashboard").contains("gen_ai_agent_name", "gen_ai_provider_name",
                "gen_ai_request_model", "gen_ai_token_type", "error_type", "kind", "scope", "pattern", "gen_ai_tool_name",
                "outcome", "stage", "store");
        assertThat(labels).as("labels published by the registry").containsAll(queriedLabels);
    }

    private static void collectExpressions(JsonNode node, List<String> expressions) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (property.getKey().equals("expr") && property.getValue().isString()) {
                    expressions.add(property.getValue().asString());
                } else if (property.getKey().equals("query") && property.getValue().isString()
                        && property.getValue().asString().contains("(")) {
                    expressions.add(property.getValue().asString().replaceAll("label_values\\((\\w+),\\s*\\w+\\)", "$1"));
                } else {
                    collectExpressions(property.getValue(), expressions);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectExpressions(child, expressions));
        }
    }

    /** Successful, failed and refused calls, a loop, a tool run with a failing and a denied tool, the kill switch. */
    private static String scrapeAfterEveryKindOfEvent() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        ScriptedLlmClient scripted = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(2), ScriptedTurn.text("done"))
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("lookup", "{}").andToolCall("wire_money", "{}"))
                .otherwise(ScriptedTurn.text("scripted"))
                .build();
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("delete_*").deny("alpha"))
                .addRule(ToolAccessRule.forTool("wire_money").deny("researcher"));
        try (Gateway gateway = Gateway.builder()
                .limits(ExecutionLimits.builder().maxBudget("1.00").maxSteps(100).perAgentMaxSteps(2).build())
                .loopDetection(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build())
                .toolAccess(access)
                .listener(new GatewayMetricsListener(registry))
                .observer(new GatewayObservations(observations))
                .provider("priced", MockLlmClient.builder().tokens(100, 50).costPerCall("0.01").build())
                .provider("flaky", MockLlmClient.builder().failureRate(1.0).build())
                .provider("scripted", scripted)
                // a client that prices nothing, for a model without a price: allowed under the budget
                .provider("free", request -> dev.agentgateway.core.provider.LlmResponse.text("free", 1, 1))
                .allowUnpricedModels(true)
                .build()) {
            new GatewayStateMeterBinder(gateway).bindTo(registry);
            new HistoryQueueMeterBinder(() -> Map.of("agentGatewayCallHistoryStore", new FakeQueue())).bindTo(registry);
            for (String agent : List.of("writer", "editor", "reviewer")) {
                gateway.call(GatewayCall.builder().agentId(agent).provider("priced").model("m").user("draft").build());
            }
            // the same answer twice: a loop; then the agent's step limit (2) refuses a third call
            gateway.call(GatewayCall.builder().agentId("limited").provider("priced").model("m").user("x").build());
            ignore(() -> gateway.call(GatewayCall.builder().agentId("limited").provider("priced").model("m").user("x").build()));
            ignore(() -> gateway.call(GatewayCall.builder().agentId("limited").provider("priced").model("m").user("x").build()));
            ignore(() -> gateway.call(GatewayCall.builder().agentId("beta").provider("flaky").model("m").user("x").build()));
            gateway.call(GatewayCall.builder().agentId("gamma").provider("free").model("unpriced-model").user("x").build());
            ignore(() -> gateway.call(GatewayCall.builder().agentId("gamma").provider("free").model("unpriced-model").user("x").build()));
            ignore(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("priced").model("m").user("x")
                    .tool(ToolSpec.of("delete_all", "d", Map.of("type", "object"))).build()));
            ignore(() -> gateway.callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted").model("s")
                    .user("look").tool(ToolSpec.of("lookup", "l", Map.of("type", "object")))
                    .tool(ToolSpec.of("wire_money", "w", Map.of("type", "object"))).build(), (tool, arguments) -> "found"));
            gateway.callWithTools(GatewayCall.builder().agentId("researcher2").provider("scripted").model("s")
                    .user("look").tool(ToolSpec.of("lookup", "l", Map.of("type", "object")))
                    .tool(ToolSpec.of("wire_money", "w", Map.of("type", "object"))).build(), (tool, arguments) -> {
                        throw new IllegalStateException("down");
                    });
            gateway.pauseAgent("beta");
            gateway.stopAll();
            assertThatThrownBy(() -> gateway.call("writer", "priced", "m", "x")).isNotNull();
            return registry.scrape();
        }
    }

    private static void ignore(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException expected) {
            // refusals, failures and denials are part of the scenario
        }
    }

    /** Stands in for the JPA history store's queue. */
    static final class FakeQueue implements HistoryQueueStats {

        @Override
        public int queueDepth() {
            return 3;
        }

        @Override
        public int queueCapacity() {
            return 10_000;
        }

        @Override
        public long droppedCount() {
            return 1;
        }

        @Override
        public long writtenCount() {
            return 42;
        }

        @Override
        public long failedCount() {
            return 0;
        }
    }
}
