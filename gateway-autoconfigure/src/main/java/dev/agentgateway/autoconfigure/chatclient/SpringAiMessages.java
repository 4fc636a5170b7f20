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
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import java.util.ArrayList;
import java.util.List;

/** Reads Spring AI's messages and responses as the gateway's values, for records and estimates. */
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

    static LlmResponse toGateway(ChatResponse response, String provider) {
        Generation generation = response == null ? null : response.getResult();
        if (generation == null) {
            return new LlmResponse(null, List.of(), 0, 0, null, null, provider, 0, null);
        }
        ChatResponseMetadata metadata = response.getMetadata();
        Usage usage = metadata == null ? null : metadata.getUsage();
        long in = usage == null || usage.getPromptTokens() == null ? 0 : usage.getPromptTokens();
        long out = usage == null || usage.getCompletionTokens() == null ? 0 : usage.getCompletionTokens();
        String finishReason = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
        return new LlmResponse(generation.getOutput().getText(), toolCalls(generation.getOutput()), in, out, null,
                metadata == null ? null : emptyToNull(metadata.getModel()), provider, 0, finishReason);
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

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
