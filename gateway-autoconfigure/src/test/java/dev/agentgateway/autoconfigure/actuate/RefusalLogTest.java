package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.provider.MockLlmClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each refused call logs one line an operator sees, with agent, run, what refused it and the figures. */
@ExtendWith(OutputCaptureExtension.class)
class RefusalLogTest {

    private static List<String> refusalLines(CapturedOutput output, String callPrefix) {
        return output.getAll().lines().filter(line -> line.contains("Refused call " + callPrefix)).toList();
    }

    @Test
    void aBudgetRefusalLogsOneWarningWithAgentRunScopeAndFigures(CapturedOutput output) {
        try (Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxBudget("0.05").build())
                .provider("mock", MockLlmClient.builder().costPerCall("0.10").build()).build()) {

            assertThatThrownBy(() -> gateway.call(GatewayCall.builder().agentId("writer").provider("mock").model("mock-model")
                    .user("hi").workflowId("run-7").build())).isInstanceOf(BudgetExceededException.class);

            String callId = gateway.getCallHistory(null, null).get(0).callId();
            assertThat(refusalLines(output, callId)).singleElement().satisfies(line -> assertThat(line)
                    .contains("WARN", "agent 'writer'", "run 'run-7'", "by global", "0.05", "0.10"));
        }
    }

    @Test
    void aKillSwitchRefusalLogsOneInfoLine(CapturedOutput output) {
        try (Gateway gateway = Gateway.builder().provider("mock", MockLlmClient.create()).build()) {
            gateway.stopAll();

            assertThatThrownBy(() -> gateway.call("writer", "mock", "mock-model", "hi"));

            String callId = gateway.getCallHistory(null, null).get(0).callId();
            assertThat(refusalLines(output, callId)).singleElement().satisfies(line -> assertThat(line)
                    .contains("INFO", "agent 'writer'", "run '-'", "by kill-switch"));
        }
    }
}
