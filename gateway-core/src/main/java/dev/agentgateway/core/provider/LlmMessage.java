package dev.agentgateway.core.provider;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation. An assistant message may carry the tool calls it asked for;
 * a tool message carries the id and name of the call it answers, as real provider APIs require.
 */
public record LlmMessage(Role role, String content, String name, String toolCallId, List<ToolCall> toolCalls) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public LlmMessage {
        Objects.requireNonNull(role, "role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (role == Role.TOOL && toolCallId == null) {
            throw new IllegalArgumentException("a tool message needs the id of the tool call it answers");
        }
    }

    public static LlmMessage system(String content) {
        return new LlmMessage(Role.SYSTEM, content, null, null, null);
    }

    public static LlmMessage user(String content) {
        return new LlmMessage(Role.USER, content, null, null, null);
    }

    public static LlmMessage assistant(String content) {
        return new LlmMessage(Role.ASSISTANT, content, null, null, null);
    }

    public static LlmMessage assistant(String content, List<ToolCall> toolCalls) {
        return new LlmMessage(Role.ASSISTANT, content, null, null, toolCalls);
    }

    public static LlmMessage tool(String toolCallId, String toolName, String content) {
        return new LlmMessage(Role.TOOL, content, toolName, toolCallId, null);
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
