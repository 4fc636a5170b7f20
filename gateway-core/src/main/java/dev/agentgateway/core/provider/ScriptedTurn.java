package dev.agentgateway.core.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One answer of a {@link ScriptedLlmClient}: either text or one or more tool calls (ids are
 * assigned when the turn is played, so the same turn can be played many times).
 */
public record ScriptedTurn(String content, List<PlannedToolCall> toolCalls) {

    /** A tool call the script will make: tool name and raw JSON arguments. */
    public record PlannedToolCall(String name, String arguments) {
        public PlannedToolCall {
            Objects.requireNonNull(name, "name");
            arguments = arguments == null ? "{}" : arguments;
        }
    }

    public ScriptedTurn {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (content == null && toolCalls.isEmpty()) {
            throw new IllegalArgumentException("a scripted turn needs text or at least one tool call");
        }
    }

    public static ScriptedTurn text(String content) {
        return new ScriptedTurn(Objects.requireNonNull(content, "content"), List.of());
    }

    /** A turn asking for one tool, with its arguments as raw JSON text (which may be malformed on purpose). */
    public static ScriptedTurn toolCall(String name, String argumentsJson) {
        return new ScriptedTurn(null, List.of(new PlannedToolCall(name, argumentsJson)));
    }

    /** Adds another tool call to the same turn (calls of one turn are independent of each other). */
    public ScriptedTurn andToolCall(String name, String argumentsJson) {
        List<PlannedToolCall> calls = new ArrayList<>(toolCalls);
        calls.add(new PlannedToolCall(name, argumentsJson));
        return new ScriptedTurn(content, calls);
    }
}
