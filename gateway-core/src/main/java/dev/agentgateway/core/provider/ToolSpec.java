package dev.agentgateway.core.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tool offered to the model: its name, what it does, and the JSON schema of its parameters.
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool name must not be blank");
        }
        description = description == null ? "" : description;
        parameters = parameters == null ? emptyObjectSchema() : Map.copyOf(parameters);
    }

    public static ToolSpec of(String name, String description, Map<String, Object> parameters) {
        return new ToolSpec(name, description, parameters);
    }

    public static ToolSpec of(String name, String description) {
        return new ToolSpec(name, description, null);
    }

    /**
     * Reads a tool in OpenAI's function format ({@code {"type":"function","function":{...}}}) or
     * the bare function object ({@code {"name":...,"description":...,"parameters":...}}), as the
     * seed's {@code tools: list[dict]} accepts.
     */
    @SuppressWarnings("unchecked")
    public static ToolSpec fromMap(Map<String, ?> tool) {
        Map<String, ?> function = tool.containsKey("function") ? (Map<String, ?>) tool.get("function") : tool;
        Object name = function.get("name");
        if (!(name instanceof String)) {
            throw new IllegalArgumentException("tool definition has no name: " + tool.keySet());
        }
        return new ToolSpec((String) name, (String) function.get("description"),
                (Map<String, Object>) function.get("parameters"));
    }

    /** The names of the required parameters, as the schema declares them. */
    public List<String> requiredParameters() {
        Object required = parameters.get("required");
        if (required instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static Map<String, Object> emptyObjectSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Map.of());
        return Map.copyOf(schema);
    }
}
