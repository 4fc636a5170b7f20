package dev.agentgateway.core.loop;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.loop.internal.WindowedLoopDetector;
import dev.agentgateway.core.state.SharedState;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenarios 23-30: loops are detected per run and stopped with a typed error. */
class LoopDetectionTest {

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeGateways() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(LoopDetectionConfig config, dev.agentgateway.core.provider.LlmClient client) {
        Gateway gateway = Gateway.builder().loopDetection(config).provider("mock", client).build();
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayCall.Builder call(String agent, String prompt) {
        return GatewayCall.builder().agentId(agent).provider("mock").model("mock-model").user(prompt);
    }

    // ---- 23 ---------------------------------------------------------------------------------

    @Test
    void thirdIdenticalOutputOfAnAgentInARunIsALoop() { // scenario 23
        MockLlmClient mock = MockLlmClient.answering("I am stuck");
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build(), mock);
        gateway.call(call("researcher", "one").workflowId("run-1").build());
        gateway.call(call("researcher", "two").workflowId("run-1").build());

        assertThatThrownBy(() -> gateway.call(call("researcher", "three").workflowId("run-1").build()))
                .isInstanceOfSatisfying(LoopDetectedException.class, e -> {
                    assertThat(e.pattern()).isEqualTo(LoopPattern.IDENTICAL_OUTPUT);
                    assertThat(e.agents()).containsExactly("researcher");
                    assertThat(e.workflowId()).isEqualTo("run-1");
                    assertThat(e.occurrences()).isEqualTo(3);
                })
                .hasMessageContaining("identical output")
                .hasMessageContaining("'researcher'");
        assertThat(mock.requestCount()).isEqualTo(3);
        assertThat(gateway.loopsDetected()).isEqualTo(1);
    }

    @Test
    void loopIsRecordedAsAFailedCallAndReportedToListeners() { // scenario 23
        List<LoopDetectedException> loops = new ArrayList<>();
        Gateway gateway = Gateway.builder().loopDetection(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build())
                .provider("mock", MockLlmClient.answering("again"))
                .listener(new GatewayListener() {
                    @Override
                    public void onLoopDetected(LoopDetectedException loop) {
                        loops.add(loop);
                    }
                }).build();
        gateways.add(gateway);
        gateway.call(call("a", "one").build());

        assertThatThrownBy(() -> gateway.call(call("a", "two").build())).isInstanceOf(LoopDetectedException.class);

        assertThat(gateway.getCallHistory(null, null)).extracting(CallRecord::success).containsExactly(true, false);
        CallRecord looped = gateway.getCallHistory(null, null).get(1);
        assertThat(looped.errorType()).isEqualTo("LoopDetectedException");
        assertThat(looped.response().content()).isEqualTo("again");
        assertThat(loops).singleElement().extracting(LoopDetectedException::pattern).isEqualTo(LoopPattern.IDENTICAL_OUTPUT);
    }

    // ---- 24 ---------------------------------------------------------------------------------

    @Test
    void fifthCallWithAnUnchangedStateIsALoop() { // scenario 24
        TestClients.CountingClient echo = TestClients.echo("0.001");
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxNoStateChange(5).build(), echo);
        Map<String, Object> state = Map.of("topic", "AI", "draft", "v1");
        for (int i = 1; i <= 4; i++) {
            gateway.call(call("writer", "different prompt " + i).state(state).build());
        }

        assertThatThrownBy(() -> gateway.call(call("writer", "different prompt 5").state(state).build()))
                .isInstanceOfSatisfying(LoopDetectedException.class, e -> {
                    assertThat(e.pattern()).isEqualTo(LoopPattern.NO_STATE_CHANGE);
                    assertThat(e.agents()).containsExactly("writer");
                    assertThat(e.occurrences()).isEqualTo(5);
                })
                .hasMessageContaining("no state change");
        assertThat(echo.requestCount()).isEqualTo(5);
    }

    @Test
    void unchangedSharedStateIsALoopToo() { // scenario 24
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxNoStateChange(3).build(), TestClients.echo("0.001"));
        SharedState state = new SharedState(Map.of("topic", "AI"));
        gateway.call(call("writer", "p1").state(state).build());
        state.set("topic", "AI"); // a new version, but the same content
        gateway.call(call("writer", "p2").state(state).build());

        assertThatThrownBy(() -> gateway.call(call("writer", "p3").state(state).build()))
                .isInstanceOfSatisfying(LoopDetectedException.class,
                        e -> assertThat(e.pattern()).isEqualTo(LoopPattern.NO_STATE_CHANGE));
    }

    // ---- 25 ---------------------------------------------------------------------------------

    @Test
    void twoAgentsAlternatingEightTimesOverTwoStatesIsAPingPong() { // scenario 25
        TestClients.CountingClient echo = TestClients.echo("0.001");
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxPingPong(4).build(), echo);
        Map<String, Object> draft = Map.of("doc", "draft");
        Map<String, Object> reviewed = Map.of("doc", "reviewed");
        for (int i = 1; i <= 7; i++) {
            boolean a = i % 2 == 1;
            gateway.call(call(a ? "A" : "B", "turn " + i).state(a ? draft : reviewed).workflowId("review").build());
        }

        assertThatThrownBy(() -> gateway.call(call("B", "turn 8").state(reviewed).workflowId("review").build()))
                .isInstanceOfSatisfying(LoopDetectedException.class, e -> {
                    assertThat(e.pattern()).isEqualTo(LoopPattern.PING_PONG);
                    assertThat(e.agents()).containsExactly("A", "B");
                    assertThat(e.workflowId()).isEqualTo("review");
                })
                .hasMessageContaining("ping-pong")
                .hasMessageContaining("'A' and 'B'");
        assertThat(echo.requestCount()).isEqualTo(8);
    }

    @Test
    void twoAgentsAlternatingWithoutStateOverTwoOutputsIsAPingPong() { // scenario 25
        MockLlmClient mock = MockLlmClient.builder().respond("please fix", "fixed").respond("please review", "rejected").build();
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxPingPong(2).build(), mock);
        gateway.call(call("coder", "please fix").workflowId("wf").build());
        gateway.call(call("reviewer", "please review").workflowId("wf").build());
        gateway.call(call("coder", "please fix").workflowId("wf").build());

        assertThatThrownBy(() -> gateway.call(call("reviewer", "please review").workflowId("wf").build()))
                .isInstanceOfSatisfying(LoopDetectedException.class,
                        e -> assertThat(e.pattern()).isEqualTo(LoopPattern.PING_PONG));
    }

    // ---- 26 ---------------------------------------------------------------------------------

    @Test
    void sameToolWithSameArgumentsCalledThreeTimesInARowIsALoop() { // scenario 26
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .otherwise(ScriptedTurn.toolCall("search", "{\"query\":\"java loops\"}")).build();
        AtomicInteger executions = new AtomicInteger();
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build(), model);

        assertThatThrownBy(() -> gateway.callWithTools(call("researcher", "find it")
                        .tool(ToolSpec.of("search", "web search")).build(),
                (name, args) -> "result " + executions.incrementAndGet()))
                .isInstanceOfSatisfying(LoopDetectedException.class, e -> {
                    assertThat(e.pattern()).isEqualTo(LoopPattern.REPEATED_TOOL_CALL);
                    assertThat(e.agents()).containsExactly("researcher");
                    assertThat(e.occurrences()).isEqualTo(3);
                })
                .hasMessageContaining("repeatedly calling tool")
                .hasMessageContaining("'search'");
        assertThat(model.requestCount()).isEqualTo(3);
        assertThat(executions.get()).isEqualTo(2);
    }

    @Test
    void toolArgumentsAreComparedAsJsonSoSpacingAndKeyOrderDoNotHideARepetition() { // scenario 26
        WindowedLoopDetector detector = new WindowedLoopDetector(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build(), 10);
        detector.record(null, "a", null, null, List.of(ToolCall.of("1", "add", "{\"a\":1,\"b\":2}")));
        detector.record(null, "a", null, null, List.of(ToolCall.of("2", "add", "{ \"b\" : 2, \"a\" : 1 }")));

        assertThatThrownBy(() -> detector.record(null, "a", null, null, List.of(ToolCall.of("3", "add", "{\"b\":2,\"a\":1}"))))
                .isInstanceOfSatisfying(LoopDetectedException.class,
                        e -> assertThat(e.pattern()).isEqualTo(LoopPattern.REPEATED_TOOL_CALL));
    }

    @Test
    void sameToolWithDifferentArgumentsIsNoLoop() { // scenario 26
        WindowedLoopDetector detector = new WindowedLoopDetector(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build(), 10);

        assertThatCode(() -> {
            for (int i = 0; i < 10; i++) {
                detector.record(null, "a", null, null, List.of(ToolCall.of("id" + i, "add", "{\"a\":" + i + "}")));
            }
        }).doesNotThrowAnyException();
        assertThat(detector.detectedCount()).isZero();
    }

    @Test
    void anAnswerBetweenTwoIdenticalToolCallsBreaksTheStreak() { // scenario 26 ("in a row")
        WindowedLoopDetector detector = new WindowedLoopDetector(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build(), 10);
        detector.record(null, "a", null, null, List.of(ToolCall.of("1", "weather", "{\"city\":\"Paris\"}")));
        detector.record(null, "a", "It is sunny in Paris.", null, List.of());

        assertThatCode(() -> detector.record(null, "a", null, null, List.of(ToolCall.of("2", "weather", "{\"city\":\"Paris\"}"))))
                .doesNotThrowAnyException();
    }

    @Test
    void sameQuestionInSeparateToolRunsOfOneAgentIsNoLoop() { // scenario 26 ("in a row")
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult("weather"), ScriptedTurn.text("Sunny."))
                .otherwise(ScriptedTurn.toolCall("weather", "{\"city\":\"Paris\"}")).build();
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build(), model);
        GatewayCall question = call("assistant", "weather in Paris?").tool(ToolSpec.of("weather", "forecast")).build();

        // three separate requests over the day; each is answered, so none repeats the tool "in a row"
        gateway.callWithTools(question, (name, args) -> "sunny");
        gateway.callWithTools(question, (name, args) -> "sunny");

        assertThatCode(() -> gateway.callWithTools(question, (name, args) -> "sunny")).doesNotThrowAnyException();
        assertThat(model.requestCount()).isEqualTo(6);
    }

    // ---- 27 ---------------------------------------------------------------------------------

    @Test
    void differentOutputsNeverTriggerALoop() { // scenario 27
        TestClients.CountingClient echo = TestClients.echo("0.001");
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build(), echo);

        for (int i = 0; i < 25; i++) {
            gateway.call(call("a", "prompt " + i).workflowId("wf").build());
        }

        assertThat(echo.requestCount()).isEqualTo(25);
        assertThat(gateway.loopsDetected()).isZero();
    }

    @Test
    void aChangingStateNeverTriggersALoop() { // scenario 27
        TestClients.CountingClient echo = TestClients.echo("0.001");
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxNoStateChange(2).maxPingPong(2).build(), echo);

        // two agents alternate, but the state moves on with every call: work is being done
        for (int i = 0; i < 25; i++) {
            gateway.call(call(i % 2 == 0 ? "A" : "B", "prompt " + i).state(Map.of("version", i)).workflowId("wf").build());
        }

        assertThat(echo.requestCount()).isEqualTo(25);
        assertThat(gateway.loopsDetected()).isZero();
    }

    @Test
    void identicalOutputsOfDifferentAgentsDoNotCountTogether() { // scenario 27
        WindowedLoopDetector detector = new WindowedLoopDetector(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build(), 10);
        detector.record("wf", "A", "ok", null, List.of());

        assertThatCode(() -> detector.record("wf", "B", "ok", null, List.of())).doesNotThrowAnyException();
    }

    // ---- 28 ---------------------------------------------------------------------------------

    @Test
    void withoutLoopDetectionIdenticalOutputsNeverRaise() { // scenario 28
        MockLlmClient mock = MockLlmClient.answering("same every time");
        Gateway gateway = Gateway.builder().provider("mock", mock).build();
        gateways.add(gateway);

        for (int i = 0; i < 20; i++) {
            gateway.call(call("a", "same prompt").state(Map.of("k", "v")).workflowId("wf").build());
        }

        assertThat(mock.requestCount()).isEqualTo(20);
        assertThat(gateway.loopsDetected()).isZero();
    }

    // ---- 29 ---------------------------------------------------------------------------------

    @Test
    void identicalAnswersInTwoDifferentRunsDoNotCountTogether() { // scenario 29
        MockLlmClient mock = MockLlmClient.answering("same");
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build(), mock);
        gateway.call(call("a", "one").workflowId("run-1").build());
        gateway.call(call("a", "one").workflowId("run-1").build());
        gateway.call(call("a", "one").workflowId("run-2").build());
        gateway.call(call("a", "one").workflowId("run-2").build());

        assertThat(gateway.loopsDetected()).isZero();
        assertThatThrownBy(() -> gateway.call(call("a", "one").workflowId("run-1").build()))
                .isInstanceOfSatisfying(LoopDetectedException.class, e -> assertThat(e.workflowId()).isEqualTo("run-1"));
    }

    @Test
    void completingARunForgetsItsLoopState() { // scenario 29
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(3).build(), MockLlmClient.answering("same"));
        gateway.call(call("a", "one").workflowId("run-1").build());
        gateway.call(call("a", "one").workflowId("run-1").build());

        gateway.completeRun("run-1");

        assertThatCode(() -> gateway.call(call("a", "one").workflowId("run-1").build())).doesNotThrowAnyException();
    }

    // ---- 30 ---------------------------------------------------------------------------------

    @Test
    void repeatedOutputsAreDetectedWithoutAnyStateOrWorkflow() { // scenario 30
        Gateway gateway = gateway(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build(), MockLlmClient.answering("same"));
        gateway.call(call("solo", "one").build());

        assertThatThrownBy(() -> gateway.call(call("solo", "two").build()))
                .isInstanceOfSatisfying(LoopDetectedException.class, e -> {
                    assertThat(e.pattern()).isEqualTo(LoopPattern.IDENTICAL_OUTPUT);
                    assertThat(e.workflowId()).isNull();
                    assertThat(e.agents()).containsExactly("solo");
                });
    }

    // ---- configuration ----------------------------------------------------------------------

    @Test
    void defaultsAreTheSeeds() {
        assertThat(LoopDetectionConfig.defaults()).isEqualTo(new LoopDetectionConfig(3, 5, 4, 20));
    }

    @Test
    void windowSmallerThanAPingPongIsRejected() {
        assertThatThrownBy(() -> LoopDetectionConfig.builder().maxPingPong(6).windowSize(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowSize");
    }
}
