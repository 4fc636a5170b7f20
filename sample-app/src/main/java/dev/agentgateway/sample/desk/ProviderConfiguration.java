package dev.agentgateway.sample.desk;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.core.provider.LlmClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The offline model, always available as provider "scripted", and a clear word on which provider answers. */
@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProviderConfiguration.class);

    @Bean
    LlmClient scripted() {
        return OfflineModel.script();
    }

    /** Provider "rambling": a slow offline model for the rambler, a piece every 200 ms for a minute and a half. */
    @Bean("rambling")
    LlmClient rambling() {
        return OfflineModel.rambling();
    }

    @Bean
    ProviderAnnouncement providerAnnouncement(AgentGatewayProperties properties) {
        return new ProviderAnnouncement(properties);
    }

    static final class ProviderAnnouncement {
        private final AgentGatewayProperties properties;

        ProviderAnnouncement(AgentGatewayProperties properties) {
            this.properties = properties;
        }

        @EventListener(ApplicationReadyEvent.class)
        void announce() {
            String provider = properties.getDefaultProvider();
            if ("scripted".equals(provider)) {
                log.info("Research desk answers with the OFFLINE scripted model (provider 'scripted', priced as {}). "
                        + "Set OPENAI_API_KEY to use OpenAI.", properties.getDefaultModel());
            } else {
                log.info("Research desk answers with provider '{}', model '{}'", provider, properties.getDefaultModel());
            }
        }
    }
}
