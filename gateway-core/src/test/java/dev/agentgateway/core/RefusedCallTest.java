package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.provider.UnpricedModelException;
import dev.agentgateway.core.testsupport.MutableClock;
import dev.agentgateway.core.testsupport.TestClients;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolAccessRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every refused call is visible: it becomes a failed {@link CallRecord} naming what refused it,
 * never reaches the provider, and counts as a failed call of its agent and of the gateway.
 */
class RefusedCallTest {

    private final TestClients.CountingClient provider = TestClients.echo("0.10");
    private final MutableClock clock = MutableClock.create();
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    private Gateway gateway(Gateway.Builder builder) {
        Gateway gateway = builder.provider("echo", provider).clock(clock).build();
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayCall.Builder callOf(String agent) {
        return GatewayCall.builder().agentId(agent).provider("echo").model("m").user("hello").workflowId("run-1");
    }

    /** The one record of the gateway, after checking the refusal never reached the provider and counted as failed. */
    private CallRecord refusedRecord(Gateway gateway, String agent) {
        assertThat(provider.requestCount()).isZero();
        assertThat(gateway.usage(LimitScope.agent(agent)).failedCalls()).isEqualTo(1);
        assertThat(gateway.metrics().failedCalls()).isEqualTo(1);
        List<CallRecord> history = gateway.getCallHistory(null, null);
        assertThat(history).hasSize(1);
        CallRecord record = history.get(0);
        assertThat(record.success()).isFalse();
        assertThat(record.response()).isNull();
        assertThat(record.cost()).isZero();
        assertThat(record.agentId()).isEqualTo(agent);
        assertThat(record.workflowId()).isEqualTo("run-1");
        assertThat(record.provider()).isEqualTo("echo");
        return record;
    }

    @Test
    void aCallRefusedByTheBudgetOfItsAgentIsRecordedWithThatScope() {
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().agent("writer",
                ScopeLimits.of(null, new java.math.BigDecimal("0.05"))).build()));

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(BudgetExceededException.class);

        CallRecord record = refusedRecord(gateway, "writer");
        assertThat(record.errorType()).isEqualTo("BudgetExceededException");
        assertThat(record.refusedBy()).isEqualTo("agent:writer");
        assertThat(record.error()).contains("0.05");
    }

    @Test
    void aCallRefusedByTheGlobalStepLimitIsRecordedAfterTheCallsThatRan() {
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxSteps(1).build()));
        gateway.call(callOf("writer").build());

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(StepLimitExceededException.class);

        List<CallRecord> history = gateway.getCallHistory(null, null);
        assertThat(history).hasSize(2);
        assertThat(history.get(1).refusedBy()).isEqualTo("global");
        assertThat(history.get(1).errorType()).isEqualTo("StepLimitExceededException");
        assertThat(provider.requestCount()).isEqualTo(1);
        assertThat(gateway.usage(LimitScope.agent("writer")).failedCalls()).isEqualTo(1);
    }

    @Test
    void aCallRefusedByTheTimeLimitIsRecorded() {
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxTime(Duration.ofSeconds(10)).build()));
        gateway.start();
        clock.advanceSeconds(11);

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(TimeLimitExceededException.class);

        assertThat(refusedRecord(gateway, "writer").refusedBy()).isEqualTo("global");
    }

    @Test
    void aCallToAModelWithoutAPriceUnderABudgetIsRecorded() {
        TestClients.CountingClient unpriced = new TestClients.CountingClient(provider, null);
        Gateway gateway = gateway(Gateway.builder().limits(ExecutionLimits.builder().maxBudget("1.00").build())
                .provider("bare", unpriced));

        assertThatThrownBy(() -> gateway.call(callOf("writer").provider("bare").model("house-llm").build()))
                .isInstanceOf(UnpricedModelException.class);

        assertThat(unpriced.requestCount()).isZero();
        assertThat(gateway.getCallHistory(null, null)).singleElement()
                .satisfies(record -> assertThat(record.refusedBy()).isEqualTo("unpriced:house-llm"));
        assertThat(gateway.usage(LimitScope.agent("writer")).failedCalls()).isEqualTo(1);
    }

    @Test
    void aCallRefusedByTheKillSwitchIsRecorded() {
        Gateway gateway = gateway(Gateway.builder());
        gateway.stopAll();

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(GatewayStoppedException.class);

        CallRecord record = refusedRecord(gateway, "writer");
        assertThat(record.refusedBy()).isEqualTo("kill-switch");
        assertThat(record.errorType()).isEqualTo("GatewayStoppedException");
    }

    @Test
    void aCallOfAPausedAgentIsRecorded() {
        Gateway gateway = gateway(Gateway.builder());
        gateway.pauseAgent("writer");

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(AgentPausedException.class);

        assertThat(refusedRecord(gateway, "writer").refusedBy()).isEqualTo("pause:writer");
    }

    @Test
    void aCallToAnUnknownProviderIsRecorded() {
        Gateway gateway = gateway(Gateway.builder());

        assertThatThrownBy(() -> gateway.call(callOf("writer").provider("nowhere").build()))
                .isInstanceOf(ProviderNotFoundException.class);

        List<CallRecord> history = gateway.getCallHistory(null, null);
        assertThat(history).singleElement().satisfies(record -> {
            assertThat(record.refusedBy()).isEqualTo("provider:nowhere");
            assertThat(record.provider()).isEqualTo("nowhere");
            assertThat(record.errorType()).isEqualTo("ProviderNotFoundException");
        });
        assertThat(gateway.usage(LimitScope.agent("writer")).failedCalls()).isEqualTo(1);
    }

    @Test
    void aCallOfferingAToolTheAgentMayNotUseIsRecorded() {
        ToolAccessController access = new ToolAccessController().addRule(ToolAccessRule.forTool("shell").deny("writer"));
        Gateway gateway = gateway(Gateway.builder().toolAccess(access));

        assertThatThrownBy(() -> gateway.call(callOf("writer").tools(List.of(ToolSpec.of("shell", "runs commands",
                Map.of("type", "object")))).build())).isInstanceOf(ToolAccessDeniedException.class);

        CallRecord record = refusedRecord(gateway, "writer");
        assertThat(record.refusedBy()).isEqualTo("tool-access:shell");
        assertThat(record.request().tools()).extracting(ToolSpec::name).containsExactly("shell");
    }

    @Test
    void aCallVetoedByABeforeHookIsRecordedWithTheHook() {
        BeforeCallHook veto = context -> {
            throw new SecurityException("not today");
        };
        Gateway gateway = gateway(Gateway.builder().onBeforeCall(veto));

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(SecurityException.class);

        CallRecord record = refusedRecord(gateway, "writer");
        assertThat(record.refusedBy()).isEqualTo("hook:" + veto.getClass().getName());
        assertThat(record.errorType()).isEqualTo("SecurityException");
        assertThat(gateway.usage(LimitScope.global()).reservedSteps()).isZero();
    }

    @Test
    void aCallStoppedByLoopDetectionCountsAsAFailedCallOfItsAgent() {
        Gateway gateway = gateway(Gateway.builder().loopDetection(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build()));
        gateway.call(callOf("writer").build());

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(LoopDetectedException.class);

        CallRecord looped = gateway.getCallHistory(null, null).get(1);
        assertThat(looped.success()).isFalse();
        assertThat(looped.refusedBy()).isEqualTo("loop:identical_output");
        assertThat(looped.response()).isNotNull();
        assertThat(gateway.usage(LimitScope.agent("writer")).failedCalls()).isEqualTo(1);
        assertThat(gateway.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void listenersAreToldOfEachRefusedCallAsARecord() {
        List<CallRecord> told = new ArrayList<>();
        Gateway gateway = gateway(Gateway.builder().listener(new GatewayListener() {
            @Override
            public void onCallRecorded(CallRecord record) {
                told.add(record);
            }
        }));
        gateway.stopAll();

        assertThatThrownBy(() -> gateway.call(callOf("writer").build())).isInstanceOf(GatewayStoppedException.class);

        assertThat(told).singleElement().satisfies(record -> assertThat(record.refused()).isTrue());
    }
}
