package dev.agentgateway.spring.tool;

import dev.agentgateway.core.provider.ToolSpec;

import java.util.Map;

/**
 * A tool of the application, whatever declared it: a {@link Tool} method, a Spring AI
 * {@code ToolCallback} bean, or a callback of a {@code ToolCallbackProvider} bean (an MCP client's
 * tools among them). Every kind is offered, permitted, limited and recorded by its name alone.
 *
 * @param origin where it was declared, for messages ({@code bean.method}, {@code ToolCallback bean 'x'}, ...)
 */
public record RegisteredTool(ToolSpec spec, String origin, Invoker invoker) {

    /** Runs the tool with the model's arguments, for a run. */
    @FunctionalInterface
    public interface Invoker {

        Object invoke(Map<String, Object> arguments, ToolRunContext context) throws Exception;
    }

    public String name() {
        return spec.name();
    }
}
