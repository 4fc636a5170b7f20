package dev.agentgateway.sample.desk;

import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.Tenant;
import dev.agentgateway.spring.agent.UserMessage;
import dev.agentgateway.spring.agent.WorkflowId;
import reactor.core.publisher.Flux;

@Agent(value = "writer", tools = "read_notes",
        systemPrompt = "You are the writer of a research desk. Read the notes on the given topic and write a short,"
                + " clear answer to the task, using only what the notes say.")
public interface Writer {

    @UserMessage("Topic: {topic}\nTask: {task}")
    String write(String topic, String task, @WorkflowId String runId, @Tenant String tenant);

    /** The same answer, streamed. */
    @UserMessage("Topic: {topic}\nTask: {task}")
    Flux<StreamEvent> writeLive(String topic, String task, @WorkflowId String runId, @Tenant String tenant);
}
