package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.core.stream.StreamEvent;
import reactor.adapter.JdkFlowAdapter;
import java.time.Duration;
import java.util.List;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.spring.actuate.metrics.GatewayMeterNames;
import dev.agentgateway.spring.actuate.metrics.GatewayMetricsListener;
import dev.agentgateway.spring.actuate.metrics.GatewayStateMeterBinder;
import dev.agentgateway.spring.actuate.metrics.HistoryQueueMeterBinder;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolAccessRule;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The meters, recorded into a {@link SimpleMeterRegistry} by a gateway built without Spring. */
class GatewayMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Gateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway.Builder builder() {
        return Gateway.builder()
                .listener(new GatewayMetricsListener(registry))
                .provider("priced", MockLlmClient.builder().defaultResponse("ok").tokens(100, 50).costPerCall("0.01").build())
                .provider("flaky", MockLlmClient.builder().failureRate(1.0).build());
    }

    private static GatewayCall call(String agent, String provider, String prompt) {
        return GatewayCall.builder().agentId(agent).provider(provider).model("model-x").user(prompt).build();
    }

    @Test
    void aStreamIsMeteredAsACallPlusItsTimeToFirstToken() {
        gateway = builder().build();

        List<String> pieces = JdkFlowAdapter.flowPublisherToFlux(gateway.stream(call("alpha", "priced", "one")))
                .mapNotNull(StreamEvent::text).collectList().block(Duration.ofSeconds(20));

        assertThat(String.join("", pieces)).isEqualTo("ok");
        Timer firstToken = registry.get(GatewayMeterNames.TIME_TO_FIRST_TOKEN)
                .tags("gen_ai.provider.name", "priced", "gen_ai.request.model", "model-x", "gen_ai.agent.name", "alpha").timer();
        assertThat(firstToken.count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.OPERATION_DURATION).tags("gen_ai.provider.name", "priced", "error.type", "none")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.TOKEN_USAGE).tags("gen_ai.token.type", "output", "gen_ai.provider.name", "priced")
                .summary().totalAmount()).isEqualTo(50);
    }

    @Test
    void aStreamRefusedBeforeTheProviderHasNoTimeToFirstToken() {
        gateway = builder().limits(ExecutionLimits.builder().maxSteps(1).build()).build();
        gateway.call(call("alpha", "priced", "the only step"));

        assertThatThrownBy(() -> JdkFlowAdapter.flowPublisherToFlux(gateway.stream(call("alpha", "priced", "one")))
                .blockLast(Duration.ofSeconds(20))).isInstanceOf(StepLimitExceededException.class);

        assertThat(registry.find(GatewayMeterNames.TIME_TO_FIRST_TOKEN).timer()).isNull();
    }

    @Test
    void genAiDurationAndTokenUsageAreRecordedPerAttemptWithProviderModelAndTokenType() {
        gateway = builder().build();

        gateway.call(call("alpha", "priced", "one"));
        gateway.call(call("alpha", "priced", "two"));
        assertThatThrownBy(() -> gateway.call(call("alpha", "flaky", "three"))).isInstanceOf(ProviderException.class);

        Timer ok = registry.get(GatewayMeterNames.OPERATION_DURATION)
                .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", "priced", "gen_ai.request.model", "model-x",
                        "gen_ai.agent.name", "alpha", "error.type", "none").timer();
        assertThat(ok.count()).isEqualTo(2);
        assertThat(ok.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        Timer failed = registry.get(GatewayMeterNames.OPERATION_DURATION)
                .tags("gen_ai.provider.name", "flaky", "error.type", "ProviderServerException").timer();
        assertThat(failed.count()).isEqualTo(1);

        DistributionSummary input = registry.get(GatewayMeterNames.TOKEN_USAGE)
                .tags("gen_ai.token.type", "input", "gen_ai.provider.name", "priced", "gen_ai.request.model", "model-x",
                        "gen_ai.operation.name", "chat").summary();
        DistributionSummary output = registry.get(GatewayMeterNames.TOKEN_USAGE)
                .tags("gen_ai.token.type", "output", "gen_ai.provider.name", "priced").summary();
        assertThat(input.count()).isEqualTo(2);
        assertThat(input.totalAmount()).isEqualTo(200);
        assertThat(output.totalAmount()).isEqualTo(100);
        assertThat(registry.find(GatewayMeterNames.TOKEN_USAGE).tags("gen_ai.provider.name", "flaky").summary())
                .as("a failed attempt used no tokens").isNull();

        assertThat(registry.get(GatewayMeterNames.COST).tags("gen_ai.provider.name", "priced", "gen_ai.agent.name", "alpha")
                .counter().count()).isCloseTo(0.02, within(1e-12));
        assertThat(registry.get(GatewayMeterNames.COST).counter().getId().getBaseUnit()).isEqualTo("usd");
    }

    @Test
    void histogramBucketsFollowTheGenAiAdviceAndCanBeTurnedOff() {
        gateway = builder().build();
        gateway.call(call("alpha", "priced", "one"));
        assertThat(registry.get(GatewayMeterNames.OPERATION_DURATION).timer().takeSnapshot().histogramCounts()).hasSize(14);
        assertThat(registry.get(GatewayMeterNames.TOKEN_USAGE).summary().takeSnapshot().histogramCounts()).hasSize(14);

        SimpleMeterRegistry plain = new SimpleMeterRegistry();
        try (Gateway withoutBuckets = Gateway.builder().listener(new GatewayMetricsListener(plain, false))
                .provider("priced", MockLlmClient.builder().tokens(1, 1).costPerCall("0.01").build()).build()) {
            withoutBuckets.call(call("alpha", "priced", "one"));
        }
        assertThat(plain.get(GatewayMeterNames.OPERATION_DURATION).timer().takeSnapshot().histogramCounts()).isEmpty();
    }

    @Test
    void unpricedCallsAreCounted() {
        // a client that reports no cost, for a model the price table does not know (and no budget applies)
        gateway = builder().provider("free", request -> dev.agentgateway.core.provider.LlmResponse.text("hi", 1, 1)).build();

        gateway.call(GatewayCall.builder().agentId("alpha").provider("free").model("no-such-model").user("x").build());

        assertThat(registry.get(GatewayMeterNames.UNPRICED_CALLS).tags("gen_ai.request.model", "no-such-model")
                .counter().count()).isEqualTo(1);
        assertThat(registry.find(GatewayMeterNames.COST).tags("gen_ai.provider.name", "free").counter()).isNull();
    }

    @Test
    void callsThatCostMoreThanTheirReservationAreMeasured() {
        // reports 10 000 output tokens whatever max tokens it was sent, at gpt-4o's $10 per million
        gateway = builder().provider("careless", request -> dev.agentgateway.core.provider.LlmResponse.text("ok", 10, 10_000))
                .defaultMaxOutputTokens(100).build();

        gateway.call(GatewayCall.builder().agentId("alpha").provider("careless").model("gpt-4o").user("hi").build());
        gateway.call(call("alpha", "priced", "within its estimate"));

        DistributionSummary overruns = registry.get(GatewayMeterNames.RESERVATION_OVERRUN)
                .tags("gen_ai.provider.name", "careless", "gen_ai.request.model", "gpt-4o", "gen_ai.agent.name", "alpha").summary();
        assertThat(overruns.count()).isEqualTo(1);
        assertThat(overruns.totalAmount()).isCloseTo(gateway.getCallHistory(null, null).get(0).overrun().doubleValue(),
                within(1e-12)).isGreaterThan(0.098);
        assertThat(overruns.getId().getBaseUnit()).isEqualTo("usd");
        assertThat(registry.find(GatewayMeterNames.RESERVATION_OVERRUN).tags("gen_ai.provider.name", "priced").summary())
                .isNull();
    }

    @Test
    void limitRefusalsAreCountedByKindAndScope() {
        gateway = builder().limits(ExecutionLimits.builder().maxSteps(10).perAgentMaxSteps(1).build()).build();

        gateway.call(call("alpha", "priced", "one"));
        assertThatThrownBy(() -> gateway.call(call("alpha", "priced", "two"))).isInstanceOf(StepLimitExceededException.class);
        assertThatThrownBy(() -> gateway.call(call("alpha", "priced", "three"))).isInstanceOf(StepLimitExceededException.class);

        assertThat(registry.get(GatewayMeterNames.LIMIT_REFUSALS).tags("kind", "steps", "scope", "agent", "gen_ai.agent.name", "alpha")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get(GatewayMeterNames.LIMIT_WARNINGS).tags("kind", "steps", "scope", "agent")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void refusedCallsCountAsFailedCallsOfTheirAgentByWhatRefusedThem() {
        gateway = builder().limits(ExecutionLimits.builder().maxSteps(10).perAgentMaxSteps(1).build()).build();
        gateway.call(call("alpha", "priced", "one"));
        assertThatThrownBy(() -> gateway.call(call("alpha", "priced", "two"))).isInstanceOf(StepLimitExceededException.class);
        gateway.stopAll();
        assertThatThrownBy(() -> gateway.call(call("alpha", "priced", "three"))).isInstanceOf(GatewayStoppedException.class);

        assertThat(registry.get(GatewayMeterNames.FAILED_CALLS).tags("gen_ai.agent.name", "alpha",
                "error.type", "StepLimitExceededException", "refused_by", "agent").counter().count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.FAILED_CALLS).tags("gen_ai.agent.name", "alpha",
                "error.type", "GatewayStoppedException", "refused_by", "kill-switch").counter().count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.OPERATION_DURATION).timers())
                .as("a refused call is no provider attempt").singleElement()
                .satisfies(timer -> assertThat(timer.getId().getTag("error.type")).isEqualTo("none"));
    }

    @Test
    void aProviderFailureCountsAsAFailedCallRefusedByNothing() {
        gateway = builder().build();

        assertThatThrownBy(() -> gateway.call(call("alpha", "flaky", "one"))).isInstanceOf(ProviderException.class);

        assertThat(registry.get(GatewayMeterNames.FAILED_CALLS).tags("gen_ai.agent.name", "alpha", "refused_by", "none")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void loopsAreCountedByPattern() {
        gateway = builder().loopDetection(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build()).build();

        gateway.call(call("alpha", "priced", "one"));
        assertThatThrownBy(() -> gateway.call(call("alpha", "priced", "two"))).isInstanceOf(LoopDetectedException.class);

        assertThat(registry.get(GatewayMeterNames.LOOPS_DETECTED).tags("pattern", "identical_output", "gen_ai.agent.name", "alpha")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void toolCallsAreCountedByToolAndOutcomeAndDenialsByStage() {
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(2), ScriptedTurn.text("done"))
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("add", "{\"a\":1,\"b\":2}").andToolCall("nope", "{}"))
                .otherwise(ScriptedTurn.text("no tools"))
                .build();
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("delete_*").deny("intern"));
        gateway = builder().provider("scripted", model).toolAccess(access).build();
        ToolSpec add = ToolSpec.of("add", "Adds", Map.of("type", "object"));

        gateway.callWithTools(GatewayCall.builder().agentId("calc").provider("scripted").model("m").user("add").tool(add).build(),
                (tool, arguments) -> 3);
        assertThatThrownBy(() -> gateway.call(GatewayCall.builder().agentId("intern").provider("priced").model("m").user("x")
                .tool(ToolSpec.of("delete_all", "Deletes", Map.of("type", "object"))).build()))
                .isInstanceOf(ToolAccessDeniedException.class);

        assertThat(registry.get(GatewayMeterNames.TOOL_CALLS).tags("gen_ai.tool.name", "add", "outcome", "success",
                "gen_ai.agent.name", "calc").counter().count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.TOOL_CALLS).tags("gen_ai.tool.name", "nope", "outcome", "unknown_tool")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.TOOL_DENIALS).tags("gen_ai.tool.name", "delete_all", "gen_ai.agent.name", "intern",
                "stage", "offer").counter().count()).isEqualTo(1);
    }

    @Test
    void aToolDeniedWhenTheModelAsksForItIsCountedAtExecution() {
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("wire_money", "{}"))
                .otherwise(ScriptedTurn.text("no tools"))
                .build();
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("wire_money").requireApproval());
        gateway = builder().provider("scripted", model).toolAccess(access).build();

        assertThatThrownBy(() -> gateway.callWithTools(GatewayCall.builder().agentId("teller").provider("scripted").model("m")
                        .user("pay").tool(ToolSpec.of("wire_money", "Pays", Map.of("type", "object"))).build(),
                (tool, arguments) -> "paid")).isInstanceOf(ToolAccessDeniedException.class);

        assertThat(registry.get(GatewayMeterNames.TOOL_CALLS).tags("gen_ai.tool.name", "wire_money", "outcome", "denied")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.TOOL_DENIALS).tags("gen_ai.tool.name", "wire_money", "stage", "execution")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void stateGaugesFollowTheGateway() {
        gateway = builder().limits(ExecutionLimits.builder().maxBudget("1.00").maxSteps(10).build()).build();
        new GatewayStateMeterBinder(gateway).bindTo(registry);

        gateway.call(call("alpha", "priced", "one"));
        gateway.call(call("beta", "priced", "two"));
        gateway.pauseAgent("beta");
        gateway.stopAll();

        assertThat(registry.get(GatewayMeterNames.BUDGET_REMAINING).gauge().value()).isCloseTo(0.98, within(1e-12));
        assertThat(registry.get(GatewayMeterNames.BUDGET_SPENT).gauge().value()).isCloseTo(0.02, within(1e-12));
        assertThat(registry.get(GatewayMeterNames.STEPS_REMAINING).gauge().value()).isEqualTo(8);
        assertThat(registry.get(GatewayMeterNames.STOPPED).gauge().value()).isEqualTo(1);
        assertThat(registry.get(GatewayMeterNames.PAUSED_AGENTS).gauge().value()).isEqualTo(1);

        gateway.resumeAll();
        gateway.updateLimits(ExecutionLimits.none());
        assertThat(registry.get(GatewayMeterNames.STOPPED).gauge().value()).isZero();
        assertThat(registry.get(GatewayMeterNames.BUDGET_REMAINING).gauge().value()).isNaN();
        assertThat(registry.get(GatewayMeterNames.STEPS_REMAINING).gauge().value()).isNaN();
    }

    @Test
    void historyQueueFiguresOfAnAsynchronousStoreAreMeasured() {
        GrafanaDashboardTest.FakeQueue queue = new GrafanaDashboardTest.FakeQueue();

        new HistoryQueueMeterBinder(() -> Map.of("jpaHistory", queue)).bindTo(registry);

        assertThat(registry.get(HistoryQueueMeterBinder.QUEUE_DEPTH).tag("store", "jpaHistory").gauge().value()).isEqualTo(3);
        assertThat(registry.get(HistoryQueueMeterBinder.QUEUE_CAPACITY).gauge().value()).isEqualTo(10_000);
        assertThat(registry.get(HistoryQueueMeterBinder.DROPPED).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(HistoryQueueMeterBinder.WRITTEN).functionCounter().count()).isEqualTo(42);
        assertThat(registry.get(HistoryQueueMeterBinder.FAILED).functionCounter().count()).isZero();
    }
}
