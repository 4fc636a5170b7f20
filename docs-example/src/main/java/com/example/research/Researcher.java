// tag::agent[]
package com.example.research;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.UserMessage;
import dev.agentgateway.spring.agent.WorkflowId;

@Agent(value = "researcher", tools = {"search_documents", "save_note"},   // what it is offered
       systemPrompt = "You research topics and keep notes.", maxSteps = 50, maxBudget = "0.50")
public interface Researcher {

    @UserMessage("Research {topic}")
    String research(String topic, @WorkflowId String runId);

    Findings summarize(String text);   // a record: parsed from the model's JSON answer
}
// end::agent[]
