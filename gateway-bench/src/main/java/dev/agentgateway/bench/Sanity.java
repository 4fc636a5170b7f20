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

    static void checkH2(CallOverhead.H2History h) {
        expect("gateway governed, H2 history", NoopLlmClient.ANSWER_B,
                h.governed.call(Fixtures.governedCall(Fixtures.PROMPT_B, "sanity-h2")).content());
        h.store.flush();
        long stored = h.store.find(dev.agentgateway.core.history.HistoryQuery.byAgent(Fixtures.AGENT, 10)).stream()
                .filter(r -> "sanity-h2".equals(r.workflowId())).count();
        if (stored != 1) {
            throw new IllegalStateException("the governed call was not stored in H2 (" + stored + " records)");
        }
        h.governed.completeRun("sanity-h2");
        h.store.clear();
    }

    static void checkHttp(CallOverhead.OpenAiHttp h) {
        long before = h.stub.requests();
        expect("OpenAiChatModel over HTTP", NoopLlmClient.ANSWER_A,
                h.raw.call(new org.springframework.ai.chat.prompt.Prompt(Fixtures.PROMPT_A)).getResult().getOutput().getText());
        String rawBody = h.stub.lastRequestBody();
        expect("OpenAI adapter over HTTP", NoopLlmClient.ANSWER_B, h.adapter.complete(new dev.agentgateway.core.provider.LlmRequest(
                "openai", Fixtures.MODEL, java.util.List.of(dev.agentgateway.core.provider.LlmMessage.user(Fixtures.PROMPT_B)),
                Fixtures.offeredTools(), null, Fixtures.MAX_TOKENS)).content());
        LlmResponse governed = h.governed.call(Fixtures.governedCall(Fixtures.PROMPT_A, "sanity-http", "openai"));
        expect("gateway governed over HTTP", NoopLlmClient.ANSWER_A, governed.content());
        String gatewayBody = h.stub.lastRequestBody();
        if (h.stub.requests() - before != 3) {
            throw new IllegalStateException("expected one HTTP request per call, the stub saw " + (h.stub.requests() - before));
        }
        if (governed.cost() == null || governed.cost().signum() <= 0) {
            throw new IllegalStateException("the governed HTTP call was not priced: " + governed);
        }
        if (Boolean.getBoolean("bench.printBodies")) {
            System.out.println("raw Spring AI request body: " + rawBody);
            System.out.println("gateway adapter request body: " + gatewayBody);
        }
        h.governed.completeRun("sanity-http");
    }

    private static void expect(String what, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            throw new IllegalStateException(what + " answered '" + actual + "', expected '" + expected + "'");
        }
    }
}
