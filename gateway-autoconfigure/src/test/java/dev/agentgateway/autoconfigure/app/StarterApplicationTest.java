package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.spring.agent.AgentResponseParseException;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = {
        "agent-gateway.agents.calculator.max-steps=4",
        "agent-gateway.tool-access.rules[0].tool=read_*",
        "agent-gateway.tool-access.rules[0].denied-agents=snoop"
})
class StarterApplicationTest {

    @Autowired
    Calculator calculator;

    @Autowired
    Snoop snoop;

    @Autowired
    Reporter reporter;

    @Autowired
    AppTools tools;

    @Autowired
    HookLog hooks;

    @Autowired
    Gateway gateway;

    @Autowired
    ScriptedLlmClient scripted;

    @Autowired
    CallCountingAspect aspect;

    @BeforeEach
    void freshGateway() {
        gateway.reset();
        hooks.events.clear();
        hooks.vetoAgent = null;
        tools.additions.set(0);
        tools.secretReads.set(0);
        aspect.gatewayCalls.set(0);
    }

    @Test
    void applicationsOwnAspectAdvisesTheGatewayBean() {
        calculator.add(1, 2);
        reporter.report();
        assertThat(aspect.gatewayCalls).hasValue(2);
    }

    @Test
    void agentInterfaceRunsTheToolLoopAndReturnsTheAnswer() {
        assertThat(calculator.add(2, 3)).isEqualTo("The sum is 5");
        assertThat(tools.additions).hasValue(1);
        assertThat(gateway.getCallHistory("calculator", null)).hasSize(2).allMatch(CallRecord::success);
    }

    @Test
    void toolIsOfferedWithTheSchemaGeneratedFromItsParameters() {
        calculator.add(4, 5);
        var lastRequest = scripted.requests().get(scripted.requests().size() - 1);
        var add = lastRequest.tools().get(0);
        assertThat(add.name()).isEqualTo("add");
        assertThat(add.description()).isEqualTo("Adds two integers");
        assertThat(add.requiredParameters()).containsExactlyInAnyOrder("a", "b");
        assertThat(add.parameters().toString()).contains("first addend");
    }

    @Test
    void systemPromptAndTemplateMakeTheConversation() {
        calculator.add(7, 8);
        List<LlmMessage> first = gateway.getCallHistory("calculator", null).get(0).request().messages();
        assertThat(first).extracting(LlmMessage::content)
                .containsExactly("You add numbers with the add tool.", "Please add 7 and 8");
    }

    @Test
    void workflowIdParameterScopesTheCalls() {
        LlmResponse response = calculator.addInRun(1, 2, "run-42");
        assertThat(response.content()).isEqualTo("The sum is 3");
        assertThat(gateway.getCallHistory(null, null)).extracting(CallRecord::workflowId).containsOnly("run-42");
    }

    @Test
    void yamlAgentLimitStopsTheAgent() {
        calculator.add(1, 1);
        calculator.add(2, 2);
        assertThatThrownBy(() -> calculator.add(3, 3)).isInstanceOf(StepLimitExceededException.class)
                .hasMessageContaining("calculator");
        assertThat(tools.additions).hasValue(2);
    }

    @Test
    void recordAnswersAreParsedFromTheModelsJson() {
        assertThat(calculator.summarize("a long text")).isEqualTo(new Summary("Weekly report", 3));
    }

    @Test
    void answerThatIsNotJsonFailsWithAClearError() {
        assertThatThrownBy(() -> calculator.summarize("garbage"))
                .isInstanceOf(AgentResponseParseException.class)
                .hasMessageContaining("calculator").hasMessageContaining("Sorry, I cannot do JSON today");
    }

    @Test
    void aToolTheRulesDenyIsNotOfferedAndNeverRuns() {
        snoop.ask("tell me the secret");
        assertThat(scripted.requests().get(scripted.requests().size() - 1).tools()).isEmpty();
        assertThat(tools.secretReads).hasValue(0);
        assertThat(gateway.getToolCallHistory("snoop", null)).extracting(ToolCallRecord::outcome)
                .containsExactly(ToolCallOutcome.UNKNOWN_TOOL);
    }

    @Test
    void classAgentCallsCountForThatAgent() {
        assertThat(reporter.report()).isEqualTo("ok");
        assertThat(gateway.getCallHistory("reporter", null)).hasSize(1);
    }

    @Test
    void hookMethodsFireBeforeAndAfterEachCallInOrder() {
        calculator.add(2, 3);
        assertThat(hooks.events).containsExactly("before:calculator", "after:calculator:null",
                "before:calculator", "after:calculator:The sum is 5");
    }

    @Test
    void beforeHookVetoesTheCall() {
        hooks.vetoAgent = "reporter";
        int before = scripted.requestCount();
        assertThatThrownBy(() -> reporter.report()).isInstanceOf(IllegalStateException.class).hasMessage("vetoed by policy");
        assertThat(scripted.requestCount()).isEqualTo(before);
        assertThat(gateway.metrics().totalSteps()).isZero();
    }
}
