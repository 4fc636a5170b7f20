package com.example.research;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider and resilience settings of docs/providers.md start the application as written. */
@SpringBootTest(properties = {"spring.config.import=classpath:providers.yml,classpath:resilience.yml",
        "OPENAI_API_KEY=unused-offline"})
class ProviderSnippetsTest {

    @Autowired
    Gateway gateway;

    @Autowired
    ResilienceProperties resilience;

    @Autowired
    AgentGatewayProperties properties;

    @Test
    void bothProvidersOfTheSnippetAreRegistered() {
        assertThat(gateway.providerIds()).contains("openai", "local-llama");
    }

    @Test
    void theResilienceSettingsAreBoundAsWritten() {
        assertThat(resilience.getRetry().getMaxAttempts()).isEqualTo(3);
        assertThat(resilience.getFallbacks()).singleElement()
                .satisfies(target -> assertThat(target.getProvider()).isEqualTo("local-llama"));
        assertThat(properties.getAgents().get("researcher").getFallbacks()).singleElement()
                .satisfies(target -> assertThat(target.getProvider()).isEqualTo("openai"));
        assertThat(properties.getAgents().get("researcher").getRateLimit().getLimitForPeriod()).isEqualTo(30);
        assertThat(properties.getTools().get("search_documents").getRateLimit().getLimitForPeriod()).isEqualTo(10);
    }
}
