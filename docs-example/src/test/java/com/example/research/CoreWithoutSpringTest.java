package com.example.research;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's use of the core without Spring runs as written. */
class CoreWithoutSpringTest {

    @Test
    void theCoreGovernsACallWithoutSpring() {
        // tag::core[]
        Gateway gateway = Gateway.builder()
                .limits(ExecutionLimits.builder().maxBudget("1.00").maxSteps(50).build())
                .loopDetection(LoopDetectionConfig.defaults())
                .provider("mock", MockLlmClient.create())
                .build();
        LlmResponse answer = gateway.call("agent-1", "mock", "mock-model", "Hello");
        Map<String, Object> metrics = gateway.getMetrics();
        // end::core[]

        assertThat(answer.content()).isNotBlank();
        assertThat(((Number) metrics.get("total_steps")).longValue()).isEqualTo(1);
        assertThat(((Number) metrics.get("call_count")).longValue()).isEqualTo(1);
    }
}
