package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import java.util.ArrayList;
import java.util.List;

/** Spring AI's messages as the gateway's values (for records and estimates), and the gateway's answers as Spring AI's. */
final class SpringAiMessages {

    private SpringAiMessages() {
    }

    static List<LlmMessage> toGateway(List<Message> messages) {
        List<LlmMessage> result = new ArrayList<>(messages.size());
        for (Message message : messages) {
            switch (message.getMessageType()) {
                case SYSTEM -> result.add(LlmMessage.system(message.getText()));
                case USER -> result.add(LlmMessage.user(message.getText()));
                case ASSISTANT -> result.add(LlmMessage.assistant(message.getText(), toolCalls((AssistantMessage) message)));
                case TOOL -> ((ToolResponseMessage) message).getResponses()
                        .forEach(response -> result.add(LlmMessage.tool(response.id(), response.name(), response.responseData())));
            }
        }
        return result;
    }

    /** A ChatClient's view of an answer the gateway got elsewhere (a fallback provider): text, tool calls, usage, model. */
    static ChatResponse toChatResponse(LlmResponse response) {
        AssistantMessage output = AssistantMessage.builder()
                .content(response.content())
                .toolCalls(response.toolCalls().stream()
                        .map(call -> new AssistantMessage.ToolCall(call.id(), "function", call.name(), call.arguments()))
                        .toList())
                .build();
        ChatGenerationMetadata generation = ChatGenerationMetadata.builder().finishReason(response.finishReason()).build();
        ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
                .model(response.model() == null ? "" : response.model())
                .usage(new DefaultUsage(Math.toIntExact(response.inputTokens()), Math.toIntExact(response.outputTokens())))
                .keyValue(GatewayAdvisor.PROVIDER_METADATA_KEY, response.provider());
        return new ChatResponse(List.of(new Generation(output, generation)), metadata.build());
    }

    private static List<ToolCall> toolCalls(AssistantMessage message) {
        return message.getToolCalls().stream()
                .map(call -> new ToolCall(call.id() == null ? "" : call.id(), call.name(), call.arguments()))
                .toList();
    }
}
