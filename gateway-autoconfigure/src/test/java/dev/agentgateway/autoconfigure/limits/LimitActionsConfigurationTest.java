package dev.agentgateway.autoconfigure.limits;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.LimitActions;
import dev.agentgateway.core.limits.OnLimit;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code agent-gateway.agents.<id>.on-limit.*} and {@code on-budget-warning.model} reach the gateway, checked at start-up. */
class LimitActionsConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class))
            .withUserConfiguration(Model.class);

    @Configuration(proxyBeanMethods = false)
    static class Model {
        @Bean
        LlmClient scripted() {
            return ScriptedLlmClient.builder()
                    .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("work", "{}"))
                    .otherwise(ScriptedTurn.text("concluded"))
                    .build();
        }
    }

    @Test
    void anAgentThatFinishesAtItsStepLimitEndsItsRunWithALastAnswer() {
        runner.withPropertyValues("agent-gateway.limits.per-workflow-max-steps=3",
                "agent-gateway.agents.worker.on-limit.steps=finish").run(context -> {
            GatewayCall run = GatewayCall.builder().agentId("worker").provider("scripted").model("gpt-4o-mini")
                    .user("work").workflowId("run-1").tools(List.of(ToolSpec.of("work", "works", Map.of("type", "object"))))
                    .build();

            LlmResponse answer = context.getBean(Gateway.class).callWithTools(run, (tool, arguments) -> "ok", 50);

            assertThat(answer.content()).isEqualTo("concluded");
            assertThat(answer.finishReason()).isEqualTo("limit_steps");
        });
    }

    @Test
    void theLimitActionsOfEachAgentAreThoseConfigured() {
        runner.withPropertyValues("agent-gateway.agents.worker.on-limit.budget=finish",
                "agent-gateway.agents.worker.on-limit.finish-reserve=0.02",
                "agent-gateway.agents.worker.on-budget-warning.model=gpt-4o-mini").run(context -> {
            Gateway gateway = context.getBean(Gateway.class);

            assertThat(gateway.limits().actionsOf("worker"))
                    .isEqualTo(new LimitActions(OnLimit.FAIL, OnLimit.FINISH, new BigDecimal("0.02"), "gpt-4o-mini"));
            assertThat(gateway.limits().actionsOf("other")).isEqualTo(LimitActions.FAIL);
        });
    }

    @Test
    void finishingAtABudgetWithoutAReserveStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("agent-gateway.agents.worker.on-limit.budget=finish")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("agent-gateway.agents.worker.on-limit.finish-reserve"));
    }

    @Test
    void aCheaperModelWithoutAPriceStopsStartUpNamingTheProperties() {
        runner.withPropertyValues("agent-gateway.agents.worker.on-budget-warning.model=no-such-model")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("agent-gateway.agents.worker.on-budget-warning.model")
                        .hasMessageContaining("agent-gateway.pricing.no-such-model"));
    }

    @Test
    void anUnknownLimitActionStopsStartUp() {
        runner.withPropertyValues("agent-gateway.agents.worker.on-limit.steps=retry")
                .run(context -> assertThat(context).hasFailed());
    }
}
