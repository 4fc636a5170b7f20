package dev.agentgateway.core.provider;

import java.util.Objects;

/**
 * A tool call requested by the model. {@code arguments} is the raw JSON text the model produced:
 * it is kept verbatim because models do produce malformed JSON, and the gateway must be able to
 * tell the model so.
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }

    public static ToolCall of(String id, String name, String arguments) {
        return new ToolCall(id, name, arguments);
    }
}
