package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.Map;

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
