package dev.agentgateway.autoconfigure.config;

import dev.agentgateway.spring.config.GatewayConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link GatewayConfigurationException} in Spring Boot's "APPLICATION FAILED TO START" report. */
public class GatewayConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<GatewayConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, GatewayConfigurationException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
