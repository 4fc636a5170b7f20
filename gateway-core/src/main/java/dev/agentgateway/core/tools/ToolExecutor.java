package dev.agentgateway.core.tools;

import java.util.Map;

/**
 * Runs the tools a model asks for: the seed's {@code tool_executor}. Whatever it returns is sent
 * to the model (strings as they are, anything else as JSON); whatever it throws becomes an
 * {@code "Error: …"} message to the model. Throw {@link UnknownToolException} for a name it does
 * not know.
 */
@FunctionalInterface
public interface ToolExecutor {

    Object execute(String toolName, Map<String, Object> arguments) throws Exception;
}
