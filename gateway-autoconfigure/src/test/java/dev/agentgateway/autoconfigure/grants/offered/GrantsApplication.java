package dev.agentgateway.autoconfigure.grants.offered;

import dev.agentgateway.autoconfigure.tool.Tool;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.atomic.AtomicInteger;

/** The {@link Clerk}, its two tools, and a model that asks for the dangerous one whatever it is offered. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class GrantsApplication {

    @Bean
    LlmClient scripted() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(0), ScriptedTurn.toolCall("wipe_disk", "{}"))
                .otherwise(ScriptedTurn.text("done"))
                .build();
    }

    @Bean
    ClerkTools clerkTools() {
        return new ClerkTools();
    }

    public static class ClerkTools {

        public final AtomicInteger wipes = new AtomicInteger();

        @Tool(name = "lookup", description = "Looks a word up")
        public String lookup(String word) {
            return word;
        }

        @Tool(name = "wipe_disk", description = "Erases the disk")
        public String wipeDisk() {
            wipes.incrementAndGet();
            return "wiped";
        }
    }
}
