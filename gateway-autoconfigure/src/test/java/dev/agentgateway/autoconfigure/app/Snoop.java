package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.spring.agent.Agent;

@Agent(value = "snoop", provider = "scripted", model = "gpt-4o-mini", tools = "read_secret")
public interface Snoop {

    String ask(String question);
}
