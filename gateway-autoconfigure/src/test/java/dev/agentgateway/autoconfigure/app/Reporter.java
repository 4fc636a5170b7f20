package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;

/** A class agent: calls it makes through the gateway count for "reporter". */
@Agent("reporter")
public class Reporter {

    private final Gateway gateway;

    public Reporter(Gateway gateway) {
        this.gateway = gateway;
    }

    public String report() {
        return gateway.call(GatewayCall.builder().provider("scripted").model("gpt-4o-mini").user("status?").build()).content();
    }
}
