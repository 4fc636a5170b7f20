package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * The JSON on either side of a tool: a call's arguments read and checked against the offered
 * tool's schema before it may run, and a tool's value written back as the text the model reads.
 * Kept apart from {@link ToolTurnExecutor} because none of it depends on the turn or its threads.
 */
final class ToolCallJson {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * A call ready to run (its {@code arguments} parsed), or answered already: a model's mistake
     * becomes the {@code earlyResult} it reads, with the {@code earlyOutcome} to record.
     */
    record Prepared(ToolCall call, Map<String, Object> arguments, LlmMessage earlyResult, ToolCallOutcome earlyOutcome) {
    }

    private ToolCallJson() {
    }

    /** An unknown tool, JSON that does not parse or is not an object, or arguments that break the schema: answered early. */
    @SuppressWarnings("unchecked")
    static Prepared prepare(ToolCall call, Map<String, ToolSpec> offered) {
        ToolSpec spec = offered.get(call.name());
        if (spec == null) {
            return early(call, ToolCallOutcome.UNKNOWN_TOOL, "Error: unknown tool '" + call.name() + "'. Available tools: "
                    + String.join(", ", offered.keySet()));
        }
        Object parsed;
        try {
            parsed = JSON.readValue(call.arguments(), Object.class);
        } catch (JacksonException e) {
            return early(call, ToolCallOutcome.INVALID_ARGUMENTS, "Error: the arguments of tool '" + call.name()
                    + "' are not valid JSON (" + e.getOriginalMessage() + "). Send a JSON object matching the tool's schema.");
        }
        if (!(parsed instanceof Map)) {
            return early(call, ToolCallOutcome.INVALID_ARGUMENTS,
                    "Error: the arguments of tool '" + call.name() + "' must be a JSON object.");
        }
        Map<String, Object> arguments = (Map<String, Object>) parsed;
        List<String> problems = ArgumentValidator.validate(spec.parameters(), arguments);
        if (!problems.isEmpty()) {
            return early(call, ToolCallOutcome.INVALID_ARGUMENTS,
                    "Error: invalid arguments for tool '" + call.name() + "': " + String.join("; ", problems));
        }
        return new Prepared(call, arguments, null, null);
    }

    private static Prepared early(ToolCall call, ToolCallOutcome outcome, String message) {
        return new Prepared(call, null, LlmMessage.tool(call.id(), call.name(), message), outcome);
    }

    /** A tool's value as the model reads it: text as it is, anything else as JSON (or its string when that fails). */
    static String render(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JacksonException e) {
            return String.valueOf(value);
        }
    }
}
