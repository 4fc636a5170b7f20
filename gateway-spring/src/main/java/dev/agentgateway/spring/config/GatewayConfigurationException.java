package dev.agentgateway.spring.config;

/**
 * Configuration the gateway cannot start with: a name that resolves to nothing, a key no property
 * has. {@link GatewayConfigurationFailureAnalyzer} turns it into Spring Boot's failure report, with
 * the description and the action written in the language of properties.
 */
public class GatewayConfigurationException extends RuntimeException {

    private final String description;
    private final String action;

    public GatewayConfigurationException(String description, String action) {
        super(description);
        this.description = description;
        this.action = action;
    }

    public String description() {
        return description;
    }

    public String action() {
        return action;
    }
}
