package dev.agentgateway.autoconfigure.persistence.testapp;

import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.provider.LlmMessage;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of the checkpoint durability test: an application with the starter on the database
 * given as its argument, saving one checkpoint after another through the starter's store until it
 * is killed. After each save has returned it prints {@code SAVED <step>}, so the parent knows which
 * checkpoints the store had promised to keep.
 */
// started only as the application of its test, never picked up by another application's scanning
@ConditionalOnProperty(name = TestApplications.PROPERTY, havingValue = "checkpoint-saver")
@SpringBootConfiguration
@EnableAutoConfiguration
public class CheckpointSaverChild {

    public static final String WORKFLOW_ID = "durable-run";

    public static void main(String[] args) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CheckpointSaverChild.class)
                .web(WebApplicationType.NONE)
                .properties(TestApplications.select("checkpoint-saver"), "spring.datasource.url=" + args[0],
                        "spring.datasource.username=" + args[1], "spring.datasource.password=" + args[2],
                        "spring.main.banner-mode=off", "agent-gateway.jdbc.initialize-schema=always",
                        "agent-gateway.persistence.retention.enabled=false")
                .run();
        CheckpointStore store = context.getBean(CheckpointStore.class);
        for (int step = 1; ; step++) {
            store.save(new Checkpoint(WORKFLOW_ID, step, "saver", Instant.now(), Map.of("step", step), Map.of(),
                    List.of(LlmMessage.user("step " + step)), List.of(), Map.of(), null, false));
            System.out.println("SAVED " + step);
            System.out.flush();
        }
    }
}
