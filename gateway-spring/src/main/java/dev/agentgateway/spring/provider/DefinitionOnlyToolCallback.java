package dev.agentgateway.spring.provider;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Offers a tool to the model without letting Spring AI run it: the gateway runs the tool loop
 * itself, under its limits and access rules. Spring AI 2.0's chat models never call a callback,
 * and this one refuses if anything ever does.
 */
final class DefinitionOnlyToolCallback implements ToolCallback {

    private final ToolDefinition definition;

    DefinitionOnlyToolCallback(ToolDefinition definition) {
        this.definition = definition;
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    @Override
    public String call(String toolInput) {
        throw new UnsupportedOperationException("Tool '" + definition.name()
                + "' is run by the Agent Gateway, not by Spring AI");
    }
}
