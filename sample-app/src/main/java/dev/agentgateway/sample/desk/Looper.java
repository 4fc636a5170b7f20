package dev.agentgateway.sample.desk;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.WorkflowId;

/** An agent that keeps asking the same question: loop detection stops it. */
@Agent(value = "looper", tools = "search_documents",
        systemPrompt = "You are the looper: you search again and again, never satisfied.")
public interface Looper {

    String chase(String task, @WorkflowId String runId);
}
