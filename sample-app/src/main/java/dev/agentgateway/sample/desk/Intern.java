package dev.agentgateway.sample.desk;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.WorkflowId;

/** An agent with a dangerous tool that needs approval; nobody approves, so it is denied. */
@Agent(value = "intern", tools = "delete_notes",
        systemPrompt = "You are the intern: you tidy up the notes when asked.")
public interface Intern {

    String tidyUp(String request, @WorkflowId String runId);
}
