package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.spring.tool.Tool;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An application with the console on and offline providers only (a bean's name is its provider id). */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ConsoleTestApplication {

    /** 100 input and 50 output tokens and USD 0.01 per call. */
    @Bean
    LlmClient priced() {
        return MockLlmClient.builder().defaultResponse("priced answer").tokens(100, 50).costPerCall("0.01").build();
    }

    /** Fails every call (HTTP 500 from the provider). */
    @Bean
    LlmClient flaky() {
        return MockLlmClient.builder().failureRate(1.0).build();
    }

    /** Asks for the lookup tool when tools are offered, then reports its result. */
    @Bean
    LlmClient scripted() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult("lookup"),
                        request -> ScriptedTurn.text("Found: " + request.lastMessage().content()))
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("lookup", "{\"q\":\"quarterly plans\"}"))
                .otherwise(ScriptedTurn.text("scripted answer"))
                .build();
    }

    /** Asks for a refund of 10, then reports what the refund tool answered. */
    @Bean
    LlmClient refunder() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(0), ScriptedTurn.toolCall("refund", "{\"amount\":10}"))
                .otherwise(request -> ScriptedTurn.text("refunder: " + request.lastMessage().content()))
                .build();
    }

    @Bean
    RefundTools refundTools() {
        return new RefundTools();
    }

    /** The refund tool, which the writable console's configuration makes wait for a person's approval. */
    public static class RefundTools {

        public final AtomicInteger refunds = new AtomicInteger();

        @Tool(name = "refund", description = "Refunds an amount")
        public String refund(int amount) {
            return "refunded " + amount + " (" + refunds.incrementAndGet() + ")";
        }
    }

    /** A run of the clerk that pauses when the refunder asks for the refund tool (it needs approval). */
    static void pausedRun(Gateway gateway, String workflowId) {
        GatewayCall call = GatewayCall.builder().agentId("clerk").provider("refunder").model("script-1").workflowId(workflowId)
                .tenant("acme").user("refund order 7").tool(ToolSpec.of("refund", "Refunds an amount",
                        Map.of("type", "object", "properties", Map.of("amount", Map.of("type", "integer"))))).build();
        try {
            gateway.callWithTools(call, (tool, arguments) -> {
                throw new AssertionError("the refund ran before it was approved");
            });
            throw new AssertionError("the run did not pause for approval");
        } catch (RunAwaitingApprovalException paused) {
            // as a run reaching a tool that needs approval does
        }
    }

    static LlmResponse call(Gateway gateway, String agent, String tenant, String prompt) {
        return gateway.call(GatewayCall.builder().agentId(agent).provider("priced").model("test-model").user(prompt)
                .tenant(tenant).build());
    }

    /** A workflow run of the researcher that calls the lookup tool once. */
    static LlmResponse toolRun(Gateway gateway, String workflowId) {
        return gateway.callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted").model("script-1")
                        .workflowId(workflowId).user("look it up").tool(ToolSpec.of("lookup", "Looks up",
                                Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string"))))).build(),
                (tool, arguments) -> "result for " + arguments.get("q"));
    }
}
