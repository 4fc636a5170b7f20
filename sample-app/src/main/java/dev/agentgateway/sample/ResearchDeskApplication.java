package dev.agentgateway.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A research desk: a researcher agent searches a small document corpus, does sums and keeps
 * notes; a writer agent turns the notes into an answer. Every LLM call goes through the Agent
 * Gateway. Offline by default (scripted model); with {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}
 * or {@code GEMINI_API_KEY} set (or the profile of that name), that provider answers.
 */
@SpringBootApplication
public class ResearchDeskApplication {

    /** API keys that switch a provider profile on, in order of preference. */
    private static final List<Map.Entry<String, String>> PROFILES_BY_KEY = List.of(
            Map.entry("OPENAI_API_KEY", "openai"), Map.entry("ANTHROPIC_API_KEY", "anthropic"),
            Map.entry("GEMINI_API_KEY", "gemini"));

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(ResearchDeskApplication.class);
        providerProfile(System.getenv()).ifPresent(application::setAdditionalProfiles);
        application.run(args);
    }

    /** The profile of the first provider whose API key is set, if any. */
    static Optional<String> providerProfile(Map<String, String> environment) {
        return PROFILES_BY_KEY.stream()
                .filter(entry -> environment.get(entry.getKey()) != null && !environment.get(entry.getKey()).isBlank())
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
