package com.example.research;

import dev.agentgateway.spring.tool.Tool;
import dev.agentgateway.spring.tool.ToolRunContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tools that are not plain @Tool methods: a Spring AI ToolCallback bean, and a tool that knows whom it runs for. */
@Configuration(proxyBeanMethods = false)
public class ToolSources {

    // tag::callback[]
    public record Currencies(String from, String to) {
    }

    @Bean   // a Spring AI ToolCallback bean is a gateway tool under its definition's name
    ToolCallback exchangeRate() {
        return FunctionToolCallback.builder("exchange_rate", (Currencies pair) -> pair.from() + "/" + pair.to() + " = 1.08")
                .description("Today's exchange rate of two currencies")
                .inputType(Currencies.class)
                .build();
    }
    // end::callback[]

    // tag::run-context[]
    @Component
    public static class PrivateNotes {

        private final Map<String, List<String>> byTenant = new ConcurrentHashMap<>();

        // the ToolRunContext parameter is filled by the gateway; it is not in the schema the model sees
        @Tool(name = "save_private_note", description = "Saves a note only the caller's tenant can read")
        public String savePrivateNote(String note, ToolRunContext run) {
            byTenant.computeIfAbsent(run.tenant(), tenant -> new CopyOnWriteArrayList<>()).add(note);
            return "saved for " + run.principalName();
        }
    }
    // end::run-context[]
}
