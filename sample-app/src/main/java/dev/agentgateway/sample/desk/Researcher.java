package dev.agentgateway.sample.desk;

import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.Tenant;
import dev.agentgateway.spring.agent.UserMessage;
import dev.agentgateway.spring.agent.WorkflowId;
import reactor.core.publisher.Flux;

@Agent(value = "researcher", tools = {"search_documents", "calculator", "save_note"},
        systemPrompt = "You are the researcher of a research desk. Search the documents for the task, compute what needs"
                + " computing with the calculator, and save what you found as a note under the given topic."
                + " Finish with a one-line summary.")
public interface Researcher {

    @UserMessage("Topic: {topic}\nTask: {task}")
    String research(String topic, String task, @WorkflowId String runId, @Tenant String tenant);

    /** The same research, streamed: its text, its tools between turns, and its settled answer. */
    @UserMessage("Topic: {topic}\nTask: {task}")
    Flux<StreamEvent> researchLive(String topic, String task, @WorkflowId String runId, @Tenant String tenant);
}
