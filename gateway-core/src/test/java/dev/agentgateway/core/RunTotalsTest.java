package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.RunTotals;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.ToolLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a run cost: the answer of a tool-calling run carries the whole run's totals. */
class RunTotalsTest {

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.build();
        gateways.add(gateway);
        return gateway;
    }

    private static final List<ToolSpec> TOOLS = List.of(ToolSpec.of("search", "searches", Map.of("type", "object")),
            ToolSpec.of("fetch", "fetches", Map.of("type", "object")));

    /** Two searches in parallel, then a fetch, then the answer: three model calls, three tool calls. */
    private static ScriptedLlmClient researcher() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(3), ScriptedTurn.text("the answer"))
                .when(ScriptedLlmClient.toolResultCount(2), ScriptedTurn.toolCall("fetch", "{}"))
                .otherwise(ScriptedTurn.toolCall("search", "{\"q\":1}").andToolCall("search", "{\"q\":2}"))
                .build();
    }

    private static GatewayCall call(String workflowId) {
        return GatewayCall.builder().agentId("researcher").provider("scripted").model("gpt-4o-mini")
                .user("research streams").workflowId(workflowId).tools(TOOLS).build();
    }

    private static List<CallRecord> calls(Gateway gateway, String workflowId) {
        return gateway.getCallHistory(null, null).stream().filter(r -> workflowId.equals(r.workflowId())).toList();
    }

    private static List<ToolCallRecord> toolCalls(Gateway gateway, String workflowId) {
        return gateway.getToolCallHistory(null, null).stream().filter(r -> workflowId.equals(r.workflowId())).toList();
    }

    private static void assertModelFiguresAreTheHistorys(RunTotals totals, List<CallRecord> history) {
        assertThat(totals.steps()).isEqualTo(history.stream().filter(CallRecord::success).count());
        assertThat(totals.inputTokens()).isEqualTo(history.stream().mapToLong(r -> r.response().inputTokens()).sum());
        assertThat(totals.outputTokens()).isEqualTo(history.stream().mapToLong(r -> r.response().outputTokens()).sum());
        assertThat(totals.modelCost()).isEqualByComparingTo(history.stream().map(CallRecord::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    @Test
    void theAnswerOfARunCarriesTotalsEqualToTheSumOfItsHistory() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", researcher())
                .toolLimits("search", ToolLimits.none().withCostPerCall("0.004")));

        LlmResponse answer = gateway.callWithTools(call("run-1"), (name, args) -> name + " result");

        RunTotals totals = answer.runTotals();
        List<CallRecord> history = calls(gateway, "run-1");
        assertThat(history).hasSize(3);
        assertModelFiguresAreTheHistorys(totals, history);
        assertThat(totals.modelCost()).isPositive();
        assertThat(totals.toolCalls()).isEqualTo(toolCalls(gateway, "run-1").size()).isEqualTo(3);
        assertThat(totals.toolCost()).isEqualByComparingTo("0.008");
        assertThat(totals.cost()).isEqualByComparingTo(gateway.limits().usage(LimitScope.workflow("run-1")).committedCost());
        assertThat(totals.totalTokens()).isGreaterThan(answer.totalTokens());
    }

    @Test
    void theAnswerOfOneCallHasNoRunTotals() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", researcher()));

        LlmResponse answer = gateway.call(call("run-1").toBuilder().tools(List.of()).build());

        assertThat(answer.runTotals()).isNull();
        assertThat(RunTotals.of(answer).steps()).isEqualTo(1);
    }

    @Test
    void aRunStoppedAtItsIterationLimitCarriesTheTotalsSoFar() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", researcher()));

        LlmResponse answer = gateway.callWithTools(call("run-1"), (name, args) -> "result", 2);

        assertThat(answer.stoppedByMaxIterations()).isTrue();
        assertModelFiguresAreTheHistorys(answer.runTotals(), calls(gateway, "run-1"));
        assertThat(answer.runTotals().toolCalls()).isEqualTo(2);
    }

    private static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("the JVM died");
        }
    }

    @Test
    void aResumedRunCarriesTheTotalsOfTheWholeRunNotOnlyOfWhatFollowedTheCrash() {
        AtomicBoolean crash = new AtomicBoolean(true);
        ToolExecutor crashingOnFetch = (name, args) -> {
            if (name.equals("fetch") && crash.getAndSet(false)) {
                throw new SimulatedCrash();
            }
            return name + " result";
        };
        Gateway gateway = gateway(Gateway.builder().checkpointEnabled(true).provider("scripted", researcher()));
        assertThatThrownBy(() -> gateway.callWithTools(call("run-1"), crashingOnFetch)).isInstanceOf(SimulatedCrash.class);

        LlmResponse answer = gateway.resume("run-1", crashingOnFetch);

        assertThat(answer.content()).isEqualTo("the answer");
        assertModelFiguresAreTheHistorys(answer.runTotals(), calls(gateway, "run-1"));
        assertThat(answer.runTotals().toolCalls()).as("the tool calls that gave the model a result")
                .isEqualTo(toolCalls(gateway, "run-1").stream().filter(r -> r.outcome() == ToolCallOutcome.SUCCESS).count())
                .isEqualTo(3);
    }

    @Test
    void theCompletedOfAStreamedRunCarriesTheRunsTotals() {
        Gateway gateway = gateway(Gateway.builder().provider("scripted", researcher()));
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        gateway.streamWithTools(call("run-1"), (name, args) -> "result").subscribe(subscriber);
        subscriber.awaitTerminationQuietly();

        StreamEvent.Completed completed = (StreamEvent.Completed) subscriber.elements().get(subscriber.elements().size() - 1);
        RunTotals totals = completed.response().runTotals();
        assertModelFiguresAreTheHistorys(totals, calls(gateway, "run-1"));
        assertThat(totals.toolCalls()).isEqualTo(3);
        assertThat(totals.steps()).isEqualTo(completed.steps());
        assertThat(totals.modelCost()).isEqualByComparingTo(completed.totalCost());
    }
}
