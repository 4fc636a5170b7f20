package dev.agentgateway.core.provider;

import java.util.List;
import java.util.Objects;

/**
 * What a client is asked to complete. Built by the gateway from a call; clients must not assume
 * anything beyond these fields.
 */
public record LlmRequest(String provider, String model, List<LlmMessage> messages, List<ToolSpec> tools,
                         Double temperature, Integer maxTokens) {

    public LlmRequest {
        Objects.requireNonNull(provider, "provider");
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The text of the last user message, or an empty string. */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            LlmMessage message = messages.get(i);
            if (message.role() == LlmMessage.Role.USER && message.content() != null) {
                return message.content();
            }
        }
        return "";
    }

    /** The last message of the conversation, or {@code null} when there is none. */
    public LlmMessage lastMessage() {
        return messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }

    /** Total characters of message content; the basis of the prompt-size estimate. */
    public int contentLength() {
        int length = 0;
        for (LlmMessage message : messages) {
            length += message.content() == null ? 0 : message.content().length();
            for (ToolCall call : message.toolCalls()) {
                length += call.name().length() + call.arguments().length();
            }
        }
        return length;
    }
}
