package dev.agentgateway.core.internal.tools;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks tool arguments against the parts of a JSON schema that models get wrong in practice:
 * missing required properties, wrong primitive types, unexpected properties when
 * {@code additionalProperties} is false, and enum values. Nested objects are checked the same way.
 */
final class ArgumentValidator {

    private ArgumentValidator() {
    }

    /** The problems found, empty when the arguments fit the schema. */
    static List<String> validate(Map<String, Object> schema, Map<String, Object> arguments) {
        List<String> problems = new ArrayList<>();
        validateObject("", schema, arguments, problems);
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static void validateObject(String path, Map<String, Object> schema, Map<String, Object> value, List<String> problems) {
        Object required = schema.get("required");
        if (required instanceof List<?> names) {
            for (Object name : names) {
                if (!value.containsKey(String.valueOf(name)) || value.get(String.valueOf(name)) == null) {
                    problems.add("missing required argument '" + path + name + "'");
                }
            }
        }
        Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        boolean closed = Boolean.FALSE.equals(schema.get("additionalProperties"));
        for (Map.Entry<String, Object> argument : value.entrySet()) {
            Object propertySchema = properties.get(argument.getKey());
            if (propertySchema instanceof Map<?, ?> property) {
                validateValue(path + argument.getKey(), (Map<String, Object>) property, argument.getValue(), problems);
            } else if (closed) {
                problems.add("unexpected argument '" + path + argument.getKey() + "'");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void validateValue(String path, Map<String, Object> schema, Object value, List<String> problems) {
        if (value == null) {
            return;
        }
        Object type = schema.get("type");
        if (type instanceof String expected && !hasType(expected, value)) {
            problems.add("argument '" + path + "' must be " + article(expected) + ", was " + describe(value));
            return;
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            problems.add("argument '" + path + "' must be one of " + allowed + ", was " + value);
        }
        if (value instanceof Map<?, ?> nested && "object".equals(type)) {
            validateObject(path + ".", schema, (Map<String, Object>) nested, problems);
        }
    }

    private static boolean hasType(String type, Object value) {
        return switch (type) {
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger
                    || value instanceof Short || value instanceof Byte
                    || (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0);
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            case "array" -> value instanceof List;
            case "object" -> value instanceof Map;
            default -> true;
        };
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }
}
