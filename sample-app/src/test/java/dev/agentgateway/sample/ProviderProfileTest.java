package dev.agentgateway.sample;

import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With an API key the desk uses the real provider, with the same agents, tools and limits. */
@SpringBootTest(properties = "OPENAI_API_KEY=sk-test-not-a-real-key-0000")
@ActiveProfiles("openai")
class ProviderProfileTest {

    @Autowired
    Gateway gateway;

    @Test
    void openAiProfileConfiguresOpenAiAsTheAgentsProvider() {
        assertThat(gateway.providerIds()).contains("openai", "scripted");
    }

    @Test
    void theFirstKeyFoundChoosesTheProfile() {
        assertThat(ResearchDeskApplication.providerProfile(Map.of())).isEmpty();
        assertThat(ResearchDeskApplication.providerProfile(Map.of("GEMINI_API_KEY", "g", "ANTHROPIC_API_KEY", "a")))
                .contains("anthropic");
        assertThat(ResearchDeskApplication.providerProfile(Map.of("OPENAI_API_KEY", " "))).isEmpty();
    }
}
