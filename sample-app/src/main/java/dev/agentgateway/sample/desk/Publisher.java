package dev.agentgateway.sample.desk;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.WorkflowId;

/** An agent whose tool publishes for everyone, so an editor approves each use: its runs pause until one decides. */
@Agent(value = "publisher", tools = "publish_note",
        systemPrompt = "You are the publisher: you publish a note when asked.")
public interface Publisher {

    String publish(String request, @WorkflowId String runId);
}
