package dev.agentgateway.spring.chatclient;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.util.json.JsonParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** The tools the prompt sends to the model, with their schemas: they count in the prompt and must be allowed. */
    static List<ToolSpec> toolSpecs(ChatOptions options) {
        if (!(options instanceof ToolCallingChatOptions tooling) || tooling.getToolCallbacks() == null) {
            return List.of();
        }
        List<ToolSpec> specs = new ArrayList<>(tooling.getToolCallbacks().size());
        for (ToolCallback callback : tooling.getToolCallbacks()) {
            ToolDefinition definition = callback.getToolDefinition();
            specs.add(ToolSpec.of(definition.name(), definition.description(), schema(definition.inputSchema())));
        }
        return specs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String json) {
        return json == null || json.isBlank() ? null : JsonParser.fromJson(json, Map.class);
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
