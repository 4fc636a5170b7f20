package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** A tool's rate limit applies to the tools agents run (ToolExecutorDecorator beans wrap the registry). */
@SpringBootTest(properties = {
        "agent-gateway.tools.add.rate-limit.limit-for-period=1",
        "agent-gateway.tools.add.rate-limit.refresh-period=1h",
        "agent-gateway.tools.add.rate-limit.timeout=0s"
})
class ToolRateLimitWiringTest {

    @Autowired
    Calculator calculator;

    @Autowired
    AppTools tools;

    @Autowired
    Gateway gateway;

    @Test
    void secondUseOfARateLimitedToolInTheWindowIsReportedToTheModel() {
        assertThat(calculator.add(1, 2)).isEqualTo("The sum is 3");
        assertThat(calculator.add(3, 4)).startsWith("The sum is Error:");
        assertThat(tools.additions).hasValue(1);
        assertThat(gateway.getToolCallHistory("calculator", null)).extracting(ToolCallRecord::outcome)
                .containsExactly(ToolCallOutcome.SUCCESS, ToolCallOutcome.ERROR);
    }
}
