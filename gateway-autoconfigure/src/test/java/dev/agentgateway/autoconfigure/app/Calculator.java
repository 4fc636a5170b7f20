package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.UserMessage;
import dev.agentgateway.spring.agent.WorkflowId;
import dev.agentgateway.core.provider.LlmResponse;

@Agent(value = "calculator", provider = "scripted", model = "gpt-4o-mini", tools = "add",
        systemPrompt = "You add numbers with the add tool.")
public interface Calculator {

    @UserMessage("Please add {a} and {b}")
    String add(int a, int b);

    @UserMessage("Please add {0} and {1}")
    LlmResponse addInRun(int a, int b, @WorkflowId String run);

    Summary summarize(String text);
}
