package dev.agentgateway.core;

/** The gateway's kill switch is on: every new call is refused until {@code resumeAll()}. */
public class GatewayStoppedException extends GatewayException {

    private final String agentId;

    public GatewayStoppedException(String agentId) {
        super("The gateway is stopped: the call of agent '" + agentId + "' was refused (resumeAll() lifts the stop)");
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }
}
