package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.testsupport.TestClients;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Live control of a running gateway: kill switch, pausing agents, call strategies, observers. */
class GatewayControlTest {

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

    private static GatewayCall callOf(String agent) {
        return GatewayCall.builder().agentId(agent).provider("mock").model("mock-model").user("hello").build();
    }

    /** Fails the first {@code failures} requests with a server error, then answers "recovered". */
    private static TestClients.CountingClient failingFirst(int failures) {
        AtomicInteger seen = new AtomicInteger();
        return new TestClients.CountingClient(request -> {
            if (seen.incrementAndGet() <= failures) {
                throw new ProviderServerException("mock", 503, "overloaded", null);
            }
            return LlmResponse.text("recovered", 3, 2).withCost(new java.math.BigDecimal("0.01"));
        }, new java.math.BigDecimal("0.01"));
    }

    private static final CallStrategy RETRY_ONCE = new CallStrategy() {
        @Override
        public <T> T execute(CallTarget primary, Attempt<T> attempt) {
            try {
                return attempt.run(primary);
            } catch (ProviderException first) {
                return attempt.run(primary.retry());
            }
        }
    };

    // ---- kill switch and pause --------------------------------------------------------------

    @Test
    void stoppedGatewayRefusesEveryCallBeforeTheProvider() {
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));

        gateway.stopAll();

        assertThat(gateway.isStopped()).isTrue();
        assertThatThrownBy(() -> gateway.call(callOf("a")))
                .isInstanceOfSatisfying(GatewayStoppedException.class, e -> assertThat(e.agentId()).isEqualTo("a"));
        assertThat(mock.requestCount()).isZero();
        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(0L);
    }

    @Test
    void resumeAllLiftsTheStop() {
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));
        gateway.stopAll();

        gateway.resumeAll();
        gateway.call(callOf("a"));

        assertThat(gateway.isStopped()).isFalse();
        assertThat(mock.requestCount()).isEqualTo(1);
    }

    @Test
    void pausedAgentIsRefusedWhileOtherAgentsCall() {
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));

        gateway.pauseAgent("rogue");

        assertThatThrownBy(() -> gateway.call(callOf("rogue")))
                .isInstanceOfSatisfying(AgentPausedException.class, e -> assertThat(e.agentId()).isEqualTo("rogue"));
        gateway.call(callOf("good"));
        assertThat(mock.requestCount()).isEqualTo(1);
        assertThat(gateway.pausedAgents()).containsExactly("rogue");
    }

    @Test
    void resumeAgentLiftsThePause() {
        MockLlmClient mock = MockLlmClient.create();
        Gateway gateway = gateway(Gateway.builder().provider("mock", mock));
        gateway.pauseAgent("rogue");

        gateway.resumeAgent("rogue");
        gateway.call(callOf("rogue"));

        assertThat(gateway.pausedAgents()).isEmpty();
        assertThat(mock.requestCount()).isEqualTo(1);
    }

    @Test
    void stoppingStopsARunningToolLoopAtItsNextProviderCall() {
        ScriptedLlmClient model = ScriptedLlmClient.builder().otherwise(ScriptedTurn.toolCall("work", "{}")).build();
        Gateway gateway = gateway(Gateway.builder().provider("mock", model));

        assertThatThrownBy(() -> gateway.callWithTools(callOf("a").toBuilder().tool(ToolSpec.of("work", "works")).build(),
                (name, args) -> {
                    gateway.stopAll();
                    return "done";
                }))
                .isInstanceOf(GatewayStoppedException.class);
        assertThat(model.requestCount()).isEqualTo(1);
    }

    // ---- call strategies --------------------------------------------------------------------

    @Test
    void retryStrategyRecordsEachAttemptAndChargesOnlyTheSuccessfulOne() {
        TestClients.CountingClient flaky = failingFirst(1);
        Gateway gateway = gateway(Gateway.builder().callStrategy(RETRY_ONCE).provider("mock", flaky));

        LlmResponse response = gateway.call(callOf("a"));

        assertThat(response.content()).isEqualTo("recovered");
        assertThat(flaky.requestCount()).isEqualTo(2);
        List<CallRecord> history = gateway.getCallHistory(null, null);
        assertThat(history).extracting(CallRecord::attempt).containsExactly(1, 2);
        assertThat(history).extracting(CallRecord::success).containsExactly(false, true);
        assertThat(gateway.getMetrics().get("total_steps")).isEqualTo(1L);
        assertThat(gateway.metrics().failedCalls()).isEqualTo(1L);
    }

    @Test
    void failedAttemptGivesItsStepBackBeforeTheRetry() {
        TestClients.CountingClient flaky = failingFirst(1);
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(1).build())
                .callStrategy(RETRY_ONCE).provider("mock", flaky));

        gateway.call(callOf("a"));

        assertThat(flaky.requestCount()).isEqualTo(2);
        assertThatThrownBy(() -> gateway.call(callOf("a"))).isInstanceOf(StepLimitExceededException.class);
        assertThat(flaky.requestCount()).isEqualTo(2);
    }

    @Test
    void fallbackStrategySendsTheCallToAnotherProviderAndModel() {
        MockLlmClient backup = MockLlmClient.answering("from backup");
        Gateway gateway = gateway(Gateway.builder()
                .callStrategy(new CallStrategy() {
                    @Override
                    public <T> T execute(CallTarget primary, Attempt<T> attempt) {
                        try {
                            return attempt.run(primary);
                        } catch (ProviderException e) {
                            return attempt.run(primary.fallback("backup", "backup-model"));
                        }
                    }
                })
                .provider("mock", TestClients.failing(new ProviderServerException("mock", 500, "down", null)))
                .provider("backup", backup));

        LlmResponse response = gateway.call(callOf("a"));

        assertThat(response.content()).isEqualTo("from backup");
        assertThat(response.provider()).isEqualTo("backup");
        assertThat(backup.requests()).singleElement().satisfies(request -> assertThat(request.model()).isEqualTo("backup-model"));
        assertThat(gateway.getCallHistory(null, null)).extracting(r -> r.provider() + "/" + r.model() + "#" + r.attempt())
                .containsExactly("mock/mock-model#1", "backup/backup-model#2");
    }

    @Test
    void callWithItsOwnClientIsGovernedLikeAnyOther() {
        TestClients.CountingClient own = TestClients.echo("0.02");
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(1).build()));
        GatewayCall call = GatewayCall.builder().agentId("a").provider("spring-ai").model("m").user("via my client").build();

        LlmResponse response = gateway.call(call, own);

        assertThat(response.content()).isEqualTo("via my client");
        assertThat(gateway.getCallHistory(null, null)).singleElement()
                .satisfies(record -> assertThat(record.provider()).isEqualTo("spring-ai"));
        assertThatThrownBy(() -> gateway.call(call, own)).isInstanceOf(StepLimitExceededException.class);
        assertThat(own.requestCount()).isEqualTo(1);
    }

    // ---- agent defaults, observer, offers ---------------------------------------------------

    @Test
    void agentLimitsAreDefaultsThatExplicitLimitsOverride() {
        Gateway gateway = gateway(Gateway.builder()
                .limits(ExecutionLimits.builder().agent("a", ScopeLimits.of(2, null)).build())
                .agentLimits("a", ScopeLimits.of(1, new java.math.BigDecimal("5.00")))
                .agentLimits("b", ScopeLimits.of(1, null))
                .provider("mock", MockLlmClient.create()));

        assertThat(gateway.getLimits().limitsFor(LimitScope.agent("a")))
                .isEqualTo(ScopeLimits.of(2, new java.math.BigDecimal("5.00")));
        gateway.call(callOf("b"));
        assertThatThrownBy(() -> gateway.call(callOf("b"))).isInstanceOf(StepLimitExceededException.class);
    }

    @Test
    void observerSeesTheRunItsProviderCallsAndItsToolsNested() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ExecutionObserver observer = new ExecutionObserver() {
            @Override
            public Span runStarted(String agentId, String workflowId) {
                events.add("run " + agentId);
                return error -> events.add("end run " + (error == null ? "ok" : error.getClass().getSimpleName()));
            }

            @Override
            public Span callStarted(CallContext context, Span parent) {
                events.add("call " + context.agentId() + (parent == Span.NOOP ? " (top)" : " (in run)"));
                return error -> events.add("end call");
            }

            @Override
            public Span toolStarted(String agentId, String workflowId, ToolCall call, Span parent) {
                events.add("tool " + call.name() + (parent == Span.NOOP ? " (top)" : " (in run)"));
                return error -> events.add("end tool");
            }
        };
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(1), ScriptedTurn.text("done"))
                .otherwise(ScriptedTurn.toolCall("work", "{}")).build();
        Gateway gateway = gateway(Gateway.builder().observer(observer).provider("mock", model));

        gateway.callWithTools(callOf("a").toBuilder().tool(ToolSpec.of("work", "works")).build(), (name, args) -> "ok");

        assertThat(events).containsExactly("run a", "call a (in run)", "end call", "tool work (in run)", "end tool",
                "call a (in run)", "end call", "end run ok");
    }

    @Test
    void isPermittedAnswersWithoutRecordingAnything() {
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("shell").allow("admin"));

        assertThat(access.isPermitted("admin", "shell")).isTrue();
        assertThat(access.isPermitted("intern", "shell")).isFalse();
        assertThat(access.getAuditTrail()).isEmpty();
        assertThat(access.getDenialStats()).isEmpty();
    }
}
