package dev.agentgateway.sample.desk;

import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.agent.WorkflowId;
import reactor.core.publisher.Flux;

/** An agent on a slow model that talks for longer than a stream may run: the stream time-out cuts it off. */
@Agent(value = "rambler", provider = "rambling", systemPrompt = "You are the rambler: you never get to the point.")
public interface Rambler {

    Flux<StreamEvent> ramble(String topic, @WorkflowId String runId);
}
