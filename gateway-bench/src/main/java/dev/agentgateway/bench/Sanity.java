package dev.agentgateway.bench;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.provider.LlmResponse;

import java.util.Objects;

/** Checks, before any measurement, that each benchmarked path really does what its name says. */
final class Sanity {

    private Sanity() {
    }

    static void check(CallOverhead.Frameworks f) {
        expect("LlmClient", NoopLlmClient.ANSWER_A, f.client.complete(Fixtures.request(Fixtures.PROMPT_A)).content());
        expect("gateway bare", NoopLlmClient.ANSWER_A, f.bare.call(Fixtures.bareCall(Fixtures.PROMPT_A)).content());
        expect("gateway governed", NoopLlmClient.ANSWER_B,
                f.governed.call(Fixtures.governedCall(Fixtures.PROMPT_B, "sanity-run")).content());
        expect("ChatModel", NoopLlmClient.ANSWER_A, f.springModel.call(new org.springframework.ai.chat.prompt.Prompt(Fixtures.PROMPT_A))
                .getResult().getOutput().getText());
        expect("ChatClient", NoopLlmClient.ANSWER_A, f.chatClient.prompt().user(Fixtures.PROMPT_A).call().content());
        expect("ChatClient without tool advisor", NoopLlmClient.ANSWER_A,
                f.chatClientNoToolAdvisor.prompt().user(Fixtures.PROMPT_A).call().content());
        expect("ChatClient with GatewayAdvisor", NoopLlmClient.ANSWER_A, new dev.agentgateway.core.GatewayContext(null,
                "sanity-advisor", null).call(() -> f.chatClientGoverned.prompt().user(Fixtures.PROMPT_A).call().content()));
        long advised = f.governed.getCallHistory(null, null).stream().filter(r -> "sanity-advisor".equals(r.workflowId())).count();
        if (advised != 1) {
            throw new IllegalStateException("the GatewayAdvisor call was not recorded by the gateway (" + advised + " records)");
        }
        expect("AI service", NoopLlmClient.ANSWER_A, f.assistant.chat(Fixtures.PROMPT_A));
        checkToolRun(f.governed);
        checkToolRun(f.governedInlineTools);
        f.governedInlineTools.completeRun("sanity-tools");
        f.governed.completeRun("sanity-run");
        f.governed.completeRun("sanity-tools");
        f.governed.completeRun("sanity-advisor");
    }

    static void checkToolRun(Gateway gateway) {
        int toolCallsBefore = gateway.getToolCallHistory(null, null).size();
        int callsBefore = gateway.getCallHistory(null, null).size();
        LlmResponse answer = gateway.callWithTools(Fixtures.toolRunCall("sanity-tools"), Fixtures.TOOL_EXECUTOR);
        if (answer.hasToolCalls() || answer.content() == null || !answer.content().startsWith("It is 21.5")) {
            throw new IllegalStateException("callWithTools did not finish the scripted run: " + answer);
        }
        int calls = gateway.getCallHistory(null, null).size() - callsBefore;
        int toolCalls = gateway.getToolCallHistory(null, null).size() - toolCallsBefore;
        if (calls != ThreeToolTurnsClient.TOOL_TURNS + 1 || toolCalls != ThreeToolTurnsClient.TOOL_TURNS) {
            throw new IllegalStateException("expected 4 model calls and 3 tool calls, recorded " + calls + " and " + toolCalls);
        }
        gateway.getToolCallHistory(null, ThreeToolTurnsClient.TOOL_TURNS).forEach(record -> {
            if (!record.success()) {
                throw new IllegalStateException("tool call failed in the sanity run: " + record);
            }
        });
    }

    private static void expect(String what, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            throw new IllegalStateException(what + " answered '" + actual + "', expected '" + expected + "'");
        }
    }
}
