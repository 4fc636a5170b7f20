package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.AccessOutcome;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolAccessRule;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.UnknownToolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenarios 39-47: the tool-calling loop of {@code callWithTools}. */
class ToolCallingTest {

    private static final Map<String, Object> ADD_SCHEMA = Map.of(
            "type", "object",
            "properties", Map.of("a", Map.of("type", "integer"), "b", Map.of("type", "integer")),
            "required", List.of("a", "b"));
    private static final ToolSpec ADD = ToolSpec.of("add", "adds two integers", ADD_SCHEMA);

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

    private Gateway gateway(ScriptedLlmClient model) {
        return gateway(Gateway.builder().provider("scripted", model));
    }

    private static GatewayCall.Builder call(String prompt, ToolSpec... tools) {
        return GatewayCall.builder().agentId("calculator").provider("scripted").model("gpt-4o-mini").user(prompt)
                .tools(List.of(tools));
    }

    /** Asks for {@code tool} with {@code arguments} once, then answers with the text of the tool result. */
    private static ScriptedLlmClient askOnceThenEcho(String tool, String arguments) {
        return ScriptedLlmClient.builder()
                .when(request -> request.lastMessage().role() == LlmMessage.Role.TOOL,
                        request -> ScriptedTurn.text(request.lastMessage().content()))
                .otherwise(ScriptedTurn.toolCall(tool, arguments))
                .build();
    }

    /** Adds "a" and "b", counting its calls and keeping their arguments. */
    private static final class Adder implements ToolExecutor {
        final List<Map<String, Object>> calls = new ArrayList<>();

        @Override
        public synchronized Object execute(String toolName, Map<String, Object> arguments) {
            calls.add(arguments);
            return ((Number) arguments.get("a")).intValue() + ((Number) arguments.get("b")).intValue();
        }
    }

    // ---- 39 ---------------------------------------------------------------------------------

    @Test
    void toolIsCalledOnceWithTheModelsArgumentsAndTheFinalAnswerIsReturned() { // scenario 39
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");
        Adder adder = new Adder();

        LlmResponse response = gateway(model).callWithTools(call("add 2 and 3", ADD).build(), adder);

        assertThat(adder.calls).containsExactly(Map.of("a", 2, "b", 3));
        assertThat(response.content()).isEqualTo("5");
        assertThat(response.hasToolCalls()).isFalse();
        assertThat(response.stoppedByMaxIterations()).isFalse();
        assertThat(model.requestCount()).isEqualTo(2);
    }

    // ---- 40 ---------------------------------------------------------------------------------

    @Test
    void secondRequestCarriesTheAssistantToolCallsAndTheMatchingToolResult() { // scenario 40
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");

        gateway(model).callWithTools(call("add 2 and 3", ADD).build(), new Adder());

        LlmRequest second = model.requests().get(1);
        ToolCall asked = new ToolCall("call_1", "add", "{\"a\":2,\"b\":3}");
        assertThat(second.messages()).containsExactly(
                LlmMessage.user("add 2 and 3"),
                LlmMessage.assistant(null, List.of(asked)),
                LlmMessage.tool("call_1", "add", "5"));
        assertThat(second.messages().get(2).toolCallId()).isEqualTo(second.messages().get(1).toolCalls().get(0).id());
        assertThat(second.messages().get(2).name()).isEqualTo("add");
        assertThat(second.tools()).containsExactly(ADD);
    }

    // ---- 41 ---------------------------------------------------------------------------------

    @Test
    void toolThatThrowsProducesAnErrorMessageAndTheRunGoesOn() { // scenario 41
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");
        Gateway gateway = gateway(model);

        LlmResponse response = gateway.callWithTools(call("add", ADD).build(), (name, args) -> {
            throw new IllegalStateException("calculator is broken");
        });

        assertThat(response.content()).isEqualTo("Error: calculator is broken");
        assertThat(model.requests().get(1).lastMessage().content()).startsWith("Error:");
        assertThat(gateway.getToolCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.ERROR);
            assertThat(record.success()).isFalse();
        });
    }

    @Test
    void checkedExceptionOfAToolIsReportedToo() { // scenario 41
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");

        LlmResponse response = gateway(model).callWithTools(call("add", ADD).build(), (name, args) -> {
            throw new java.io.IOException("disk full");
        });

        assertThat(response.content()).isEqualTo("Error: disk full");
    }

    // ---- 42 ---------------------------------------------------------------------------------

    @Test
    void madeUpToolNameProducesAnErrorMessageAndAFailedRecord() { // scenario 42
        ScriptedLlmClient model = askOnceThenEcho("multiply", "{\"a\":2,\"b\":3}");
        Adder adder = new Adder();
        Gateway gateway = gateway(model);

        LlmResponse response = gateway.callWithTools(call("multiply", ADD).build(), adder);

        assertThat(response.content()).isEqualTo("Error: unknown tool 'multiply'. Available tools: add");
        assertThat(adder.calls).isEmpty();
        assertThat(gateway.getToolCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.UNKNOWN_TOOL);
            assertThat(record.toolName()).isEqualTo("multiply");
            assertThat(record.success()).isFalse();
        });
    }

    @Test
    void executorThrowingUnknownToolExceptionIsRecordedAsUnknownTool() { // scenario 42
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");
        Gateway gateway = gateway(model);

        LlmResponse response = gateway.callWithTools(call("add", ADD).build(), (name, args) -> {
            throw new UnknownToolException(name);
        });

        assertThat(response.content()).isEqualTo("Error: unknown tool 'add'");
        assertThat(gateway.getToolCallHistory(null, null)).singleElement()
                .extracting(ToolCallRecord::outcome).isEqualTo(ToolCallOutcome.UNKNOWN_TOOL);
    }

    // ---- 43 ---------------------------------------------------------------------------------

    @Test
    void malformedJsonArgumentsProduceAnErrorMessageNotACrash() { // scenario 43
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\": 2, \"b\":");
        Adder adder = new Adder();
        Gateway gateway = gateway(model);

        LlmResponse response = gateway.callWithTools(call("add", ADD).build(), adder);

        assertThat(response.content()).startsWith("Error: the arguments of tool 'add' are not valid JSON");
        assertThat(adder.calls).isEmpty();
        assertThat(gateway.getToolCallHistory(null, null)).singleElement().satisfies(record -> {
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.INVALID_ARGUMENTS);
            assertThat(record.arguments()).isEqualTo("{\"a\": 2, \"b\":");
        });
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreRejected() { // scenario 43
        ScriptedLlmClient model = askOnceThenEcho("add", "[2, 3]");

        LlmResponse response = gateway(model).callWithTools(call("add", ADD).build(), new Adder());

        assertThat(response.content()).isEqualTo("Error: the arguments of tool 'add' must be a JSON object.");
    }

    @Test
    void missingRequiredArgumentIsReportedToTheModel() { // scenario 43 (schema)
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2}");
        Adder adder = new Adder();

        LlmResponse response = gateway(model).callWithTools(call("add", ADD).build(), adder);

        assertThat(response.content()).isEqualTo("Error: invalid arguments for tool 'add': missing required argument 'b'");
        assertThat(adder.calls).isEmpty();
    }

    @Test
    void argumentOfTheWrongTypeIsReportedToTheModel() { // scenario 43 (schema)
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":\"two\",\"b\":3.5}");

        LlmResponse response = gateway(model).callWithTools(call("add", ADD).build(), new Adder());

        assertThat(response.content()).isEqualTo("Error: invalid arguments for tool 'add': "
                + "argument 'a' must be an integer, was a string; argument 'b' must be an integer, was a number");
    }

    // ---- 44 ---------------------------------------------------------------------------------

    @Test
    void toolTheAgentMayNotUseStopsTheRun() { // scenario 44
        // offering is allowed (approval is asked only when the tool is about to run), the use is not
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("add").requireApproval())
                .approvalHandler(request -> false);
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");
        Adder adder = new Adder();
        Gateway gateway = gateway(Gateway.builder().toolAccess(access).provider("scripted", model));

        assertThatThrownBy(() -> gateway.callWithTools(call("add", ADD).build(), adder))
                .isInstanceOfSatisfying(ToolAccessDeniedException.class, e -> {
                    assertThat(e.agentId()).isEqualTo("calculator");
                    assertThat(e.toolName()).isEqualTo("add");
                    assertThat(e.outcome()).isEqualTo(AccessOutcome.APPROVAL_REJECTED);
                });
        assertThat(adder.calls).isEmpty();
        assertThat(model.requestCount()).isEqualTo(1);
    }

    @Test
    void oneDeniedCallOfATurnStopsTheWholeTurnBeforeAnyToolRuns() { // scenario 44
        ToolAccessController access = new ToolAccessController()
                .addRule(ToolAccessRule.forTool("delete").requireApproval());
        ScriptedLlmClient model = ScriptedLlmClient.sequence(
                ScriptedTurn.toolCall("add", "{\"a\":1,\"b\":1}").andToolCall("delete", "{}"));
        AtomicInteger runs = new AtomicInteger();
        Gateway gateway = gateway(Gateway.builder().toolAccess(access).provider("scripted", model));

        assertThatThrownBy(() -> gateway.callWithTools(call("go", ADD, ToolSpec.of("delete", "deletes")).build(),
                (name, args) -> runs.incrementAndGet()))
                .isInstanceOfSatisfying(ToolAccessDeniedException.class, e -> assertThat(e.toolName()).isEqualTo("delete"));
        assertThat(runs.get()).isZero();
    }

    // ---- 45 ---------------------------------------------------------------------------------

    @Test
    void runStopsAfterMaxIterationsProviderCallsAndIsMarked() { // scenario 45
        AtomicInteger turn = new AtomicInteger();
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .otherwise(request -> ScriptedTurn.toolCall("add", "{\"a\":" + turn.incrementAndGet() + ",\"b\":0}")).build();
        Adder adder = new Adder();

        LlmResponse response = gateway(model).callWithTools(call("keep adding", ADD).build(), adder, 3);

        assertThat(model.requestCount()).isEqualTo(3);
        assertThat(adder.calls).hasSize(2);
        assertThat(response.stoppedByMaxIterations()).isTrue();
        assertThat(response.finishReason()).isEqualTo(LlmResponse.FINISH_MAX_ITERATIONS);
        assertThat(response.toolCalls()).extracting(ToolCall::arguments).containsExactly("{\"a\":3,\"b\":0}");
    }

    @Test
    void defaultMaxIterationsIsTen() { // scenario 45
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .otherwise(request -> ScriptedTurn.toolCall("add", "{\"a\":" + request.messages().size() + ",\"b\":0}")).build();

        LlmResponse response = gateway(model).callWithTools(call("keep adding", ADD).build(), new Adder());

        assertThat(model.requestCount()).isEqualTo(Gateway.DEFAULT_MAX_ITERATIONS).isEqualTo(10);
        assertThat(response.stoppedByMaxIterations()).isTrue();
    }

    @Test
    void maxIterationsBelowOneIsRejected() { // scenario 45
        ScriptedLlmClient model = askOnceThenEcho("add", "{}");

        assertThatThrownBy(() -> gateway(model).callWithTools(call("x", ADD).build(), new Adder(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(model.requestCount()).isZero();
    }

    // ---- 46 ---------------------------------------------------------------------------------

    @Test
    void eachIterationOfTheToolLoopIsOneStep() { // scenario 46
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(2), ScriptedTurn.text("done"))
                .when(ScriptedLlmClient.toolResultCount(1), ScriptedTurn.toolCall("add", "{\"a\":2,\"b\":2}"))
                .otherwise(ScriptedTurn.toolCall("add", "{\"a\":1,\"b\":1}")).build();
        Gateway gateway = gateway(model);

        gateway.callWithTools(call("go", ADD).workflowId("wf").build(), new Adder());

        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(3L);
        assertThat(gateway.getCallHistory(null, null)).extracting(CallRecord::step).containsExactly(1, 2, 3);
    }

    @Test
    void stepLimitStopsTheToolLoop() { // scenario 46
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(2), ScriptedTurn.text("done"))
                .when(ScriptedLlmClient.toolResultCount(1), ScriptedTurn.toolCall("add", "{\"a\":2,\"b\":2}"))
                .otherwise(ScriptedTurn.toolCall("add", "{\"a\":1,\"b\":1}")).build();
        Adder adder = new Adder();
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(2).build())
                .provider("scripted", model));

        assertThatThrownBy(() -> gateway.callWithTools(call("go", ADD).build(), adder))
                .isInstanceOfSatisfying(StepLimitExceededException.class, e -> assertThat(e.current()).isEqualTo(2L));
        assertThat(model.requestCount()).isEqualTo(2);
        assertThat(adder.calls).hasSize(2);
    }

    @Test
    void loopDetectionAppliesInsideTheToolLoop() { // scenario 46
        ScriptedLlmClient model = ScriptedLlmClient.builder().otherwise(ScriptedTurn.toolCall("add", "{\"a\":1,\"b\":1}")).build();
        Adder adder = new Adder();
        Gateway gateway = gateway(Gateway.builder().loopDetection(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build())
                .provider("scripted", model));

        assertThatThrownBy(() -> gateway.callWithTools(call("go", ADD).build(), adder))
                .isInstanceOfSatisfying(LoopDetectedException.class,
                        e -> assertThat(e.pattern()).isEqualTo(LoopPattern.REPEATED_TOOL_CALL));
        assertThat(model.requestCount()).isEqualTo(2);
        assertThat(adder.calls).hasSize(1);
    }

    // ---- 47 ---------------------------------------------------------------------------------

    @Test
    void independentToolCallsOfOneTurnRunInParallelAndAreReturnedInCallOrder() throws Exception { // scenario 47
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(2), ScriptedTurn.text("both done"))
                .otherwise(ScriptedTurn.toolCall("slow", "{}").andToolCall("fast", "{}")).build();
        CountDownLatch fastFinished = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> completionOrder = new ConcurrentLinkedQueue<>();
        ToolExecutor executor = (name, args) -> {
            if (name.equals("slow")) {
                // can only finish while "fast" runs at the same time; sequential execution would time out here
                boolean parallel = fastFinished.await(20, TimeUnit.SECONDS);
                completionOrder.add("slow");
                return parallel ? "slow result" : "slow ran alone";
            }
            completionOrder.add("fast");
            fastFinished.countDown();
            return "fast result";
        };

        LlmResponse response = gateway(model).callWithTools(
                call("both", ToolSpec.of("slow", "slow tool"), ToolSpec.of("fast", "fast tool")).build(), executor);

        assertThat(response.content()).isEqualTo("both done");
        assertThat(completionOrder).containsExactly("fast", "slow");
        List<LlmMessage> messages = model.requests().get(1).messages();
        assertThat(messages.subList(2, 4)).containsExactly(
                LlmMessage.tool("call_1", "slow", "slow result"),
                LlmMessage.tool("call_2", "fast", "fast result"));
    }

    // ---- edge cases -------------------------------------------------------------------------

    @Test
    void toolThatDoesNotFinishInTimeProducesATimeoutErrorAndTheRunGoesOn() throws Exception {
        ScriptedLlmClient model = askOnceThenEcho("hang", "{}");
        CountDownLatch release = new CountDownLatch(1);
        Gateway gateway = gateway(Gateway.builder().toolTimeout(Duration.ofMillis(200)).provider("scripted", model));
        try {
            LlmResponse response = gateway.callWithTools(call("hang", ToolSpec.of("hang", "never returns")).build(),
                    (name, args) -> release.await(30, TimeUnit.SECONDS));

            assertThat(response.content()).isEqualTo("Error: tool 'hang' did not finish within 200 ms");
            assertThat(gateway.getToolCallHistory(null, null)).singleElement()
                    .extracting(ToolCallRecord::outcome).isEqualTo(ToolCallOutcome.TIMEOUT);
        } finally {
            release.countDown();
        }
    }

    @Test
    void nonStringToolResultIsSentAsJson() {
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");

        LlmResponse response = gateway(model).callWithTools(call("add", ADD).build(),
                (name, args) -> Map.of("sum", 5));

        assertThat(response.content()).isEqualTo("{\"sum\":5}");
    }

    @Test
    void toolCallRecordsCarryTheScopeAndTheModelsArguments() {
        ScriptedLlmClient model = askOnceThenEcho("add", "{\"a\":2,\"b\":3}");
        Gateway gateway = gateway(model);

        gateway.callWithTools(call("add", ADD).workflowId("wf-1").tenant("acme").build(), new Adder());

        assertThat(gateway.getToolCallHistory("calculator", null)).singleElement().satisfies(record -> {
            assertThat(record.agentId()).isEqualTo("calculator");
            assertThat(record.workflowId()).isEqualTo("wf-1");
            assertThat(record.tenant()).isEqualTo("acme");
            assertThat(record.toolCallId()).isEqualTo("call_1");
            assertThat(record.toolName()).isEqualTo("add");
            assertThat(record.arguments()).isEqualTo("{\"a\":2,\"b\":3}");
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.SUCCESS);
            assertThat(record.result()).isEqualTo("5");
        });
        assertThat(gateway.getToolCallHistory("someone-else", null)).isEmpty();
    }

    @Test
    void aModelAnsweringWithoutToolsEndsTheRunAfterOneCall() {
        ScriptedLlmClient model = ScriptedLlmClient.sequence(ScriptedTurn.text("no tools needed"));
        Adder adder = new Adder();

        LlmResponse response = gateway(model).callWithTools(call("hi", ADD).build(), adder);

        assertThat(response.content()).isEqualTo("no tools needed");
        assertThat(adder.calls).isEmpty();
        assertThat(model.requestCount()).isEqualTo(1);
    }
}
