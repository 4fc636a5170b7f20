package dev.agentgateway.autoconfigure.grants.offered;

import dev.agentgateway.autoconfigure.agent.Agent;

/** An agent whose code lists a dangerous tool next to a harmless one. */
@Agent(value = "clerk", provider = "scripted", tools = {"lookup", "wipe_disk"})
public interface Clerk {

    String ask(String question);
}
