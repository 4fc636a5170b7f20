package dev.agentgateway.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A research desk: a researcher agent searches a small document corpus, does sums and keeps
 * notes; a writer agent turns the notes into an answer. Every LLM call goes through the Agent
 * Gateway. Offline by default (scripted model); with {@code OPENAI_API_KEY} set, OpenAI answers.
 */
@SpringBootApplication
public class ResearchDeskApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(ResearchDeskApplication.class);
        if (System.getenv("OPENAI_API_KEY") != null && !System.getenv("OPENAI_API_KEY").isBlank()) {
            application.setAdditionalProfiles("openai");
        }
        application.run(args);
    }
}
