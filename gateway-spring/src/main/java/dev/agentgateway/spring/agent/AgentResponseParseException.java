package dev.agentgateway.spring.agent;

import dev.agentgateway.core.GatewayException;

/** An agent's answer could not be read as the type its method returns. */
public class AgentResponseParseException extends GatewayException {

    private final String agentId;
    private final String content;

    public AgentResponseParseException(String agentId, String targetType, String content, Throwable cause) {
        super("Agent '" + agentId + "' answered with something that is not a " + targetType + ": "
                + abbreviate(content) + " (" + cause.getMessage() + ")", cause);
        this.agentId = agentId;
        this.content = content;
    }

    public String agentId() {
        return agentId;
    }

    /** The answer as the model gave it. */
    public String content() {
        return content;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "(no content)";
        }
        return text.length() > 200 ? "\"" + text.substring(0, 200) + "…\"" : "\"" + text + "\"";
    }
}
