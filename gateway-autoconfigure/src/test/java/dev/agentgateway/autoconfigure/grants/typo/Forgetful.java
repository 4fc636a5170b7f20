package dev.agentgateway.autoconfigure.grants.typo;

import dev.agentgateway.autoconfigure.agent.Agent;

/** An agent whose code misspells a tool. */
@Agent(value = "forgetful", tools = {"lookup", "serch"})
public interface Forgetful {

    String ask(String question);
}
