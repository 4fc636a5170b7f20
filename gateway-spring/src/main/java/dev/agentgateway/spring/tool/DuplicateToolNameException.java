package dev.agentgateway.spring.tool;

import dev.agentgateway.spring.config.GatewayConfigurationException;

/**
 * Two sources declare a tool of the same name ({@code @Tool} methods, {@code ToolCallback} beans,
 * {@code ToolCallbackProvider} beans such as MCP clients): the application does not start, since
 * a model asking for that name could reach either.
 */
public class DuplicateToolNameException extends GatewayConfigurationException {

    private final String toolName;
    private final String firstOrigin;
    private final String secondOrigin;

    public DuplicateToolNameException(String toolName, String firstOrigin, String secondOrigin) {
        super("Two tools are named '" + toolName + "': " + firstOrigin + " and " + secondOrigin + ".",
                "Give one of them another name: @Tool(name = \"...\") on a method; the ToolDefinition's name of a"
                        + " ToolCallback; for an MCP server, a McpToolNamePrefixGenerator (or McpToolFilter) on its"
                        + " client's tool callbacks. Agents, access rules and agent-gateway.tools.<name> use the new name.");
        this.toolName = toolName;
        this.firstOrigin = firstOrigin;
        this.secondOrigin = secondOrigin;
    }

    public String toolName() {
        return toolName;
    }

    public String firstOrigin() {
        return firstOrigin;
    }

    public String secondOrigin() {
        return secondOrigin;
    }
}
