package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.LimitWarningEvent;
import dev.agentgateway.spring.HistoryQueueStats;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small application for the endpoint tests: offline providers only, registered as
 * {@link LlmClient} beans (a bean's name is its provider id). No component scanning.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ActuatorTestApplication {

    /** 100 input and 50 output tokens and USD 0.01 per call: known numbers for the assertions. */
    @Bean
    LlmClient priced() {
        return MockLlmClient.builder().defaultResponse("priced answer").tokens(100, 50).costPerCall("0.01").build();
    }

    /** Fails every call (HTTP 500 from the provider). */
    @Bean
    LlmClient flaky() {
        return MockLlmClient.builder().failureRate(1.0).costPerCall("0.01").build();
    }

    /** Asks for the lookup tool when tools are offered, then reports its result. */
    @Bean
    LlmClient scripted() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult("lookup"),
                        request -> ScriptedTurn.text("Found: " + request.lastMessage().content()))
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("lookup", "{\"q\":\"confidential plans\"}"))
                .otherwise(ScriptedTurn.text("scripted answer"))
                .build();
    }

    /** Stands in for an asynchronous (JPA) history store's queue figures. */
    @Bean
    HistoryQueueStats historyQueue() {
        return new GrafanaDashboardTest.FakeQueue();
    }

    @Bean
    WarningEvents warningEvents() {
        return new WarningEvents();
    }

    /** Collects the limit warnings published as application events. */
    static class WarningEvents {

        final List<LimitWarningEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(LimitWarningEvent event) {
            events.add(event);
        }
    }
}
