package dev.agentgateway.spring.chatclient;

import dev.agentgateway.core.GatewayException;

/**
 * A {@code ChatClient} stream went through {@link GatewayAdvisor}, which cannot yet govern
 * streams (reserve before the first chunk, settle however the stream ends): the stream is refused
 * before the model is asked, so no tokens are spent outside the limits.
 */
public class StreamingNotGovernedException extends GatewayException {

    private final String agentId;

    public StreamingNotGovernedException(String agentId) {
        super("The ChatClient stream of agent '" + agentId + "' was refused before the model: GatewayAdvisor does not"
                + " govern streams yet, and an ungoverned stream would escape the limits, history and metrics."
                + " Use .call() instead of .stream() for calls through the gateway");
        this.agentId = agentId;
    }

    /** The agent the stream would have counted for. */
    public String agentId() {
        return agentId;
    }
}
