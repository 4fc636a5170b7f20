package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.util.json.JsonParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Spring AI {@link Prompt} of an {@link LlmRequest}: messages (system, user, assistant
 * with tool calls, tool results with the ids they answer) and per-request options.
 *
 * <p>Spring AI 2.0 replaces a model's default options with a prompt's options instead of merging
 * them, so the options start from a copy of the model's defaults ({@code mutate()}) and the
 * request's settings are put on top. Tools are passed as definitions only.
 */
final class PromptMapper {

    private PromptMapper() {
    }

    static Prompt toPrompt(LlmRequest request, ChatModel chatModel, ChatOptionsCustomizer customizer) {
        return new Prompt(toMessages(request.messages()), toOptions(request, chatModel, customizer));
    }

    static List<Message> toMessages(List<LlmMessage> messages) {
        List<Message> result = new ArrayList<>(messages.size());
        Map<String, String> toolNames = new HashMap<>();
        List<ToolResponseMessage.ToolResponse> pendingResults = new ArrayList<>();
        for (LlmMessage message : messages) {
            if (message.role() != LlmMessage.Role.TOOL && !pendingResults.isEmpty()) {
                result.add(toolResults(pendingResults));
                pendingResults = new ArrayList<>();
            }
            switch (message.role()) {
                case SYSTEM -> result.add(new SystemMessage(text(message.content())));
                case USER -> result.add(new UserMessage(text(message.content())));
                case ASSISTANT -> {
                    List<AssistantMessage.ToolCall> calls = new ArrayList<>(message.toolCalls().size());
                    for (ToolCall call : message.toolCalls()) {
                        toolNames.put(call.id(), call.name());
                        calls.add(new AssistantMessage.ToolCall(call.id(), "function", call.name(), call.arguments()));
                    }
                    result.add(AssistantMessage.builder().content(assistantText(message)).toolCalls(calls).build());
                }
                case TOOL -> {
                    String name = message.name() != null ? message.name() : toolNames.getOrDefault(message.toolCallId(), "tool");
                    pendingResults.add(new ToolResponseMessage.ToolResponse(message.toolCallId(), name, text(message.content())));
                }
            }
        }
        if (!pendingResults.isEmpty()) {
            result.add(toolResults(pendingResults));
        }
        return result;
    }

    /** Consecutive tool results go back in one message, as Anthropic requires and the others accept. */
    private static ToolResponseMessage toolResults(List<ToolResponseMessage.ToolResponse> responses) {
        return ToolResponseMessage.builder().responses(List.copyOf(responses)).metadata(Map.of()).build();
    }

    static ChatOptions toOptions(LlmRequest request, ChatModel chatModel, ChatOptionsCustomizer customizer) {
        ChatOptions defaults = chatModel.getDefaultOptions();
        ChatOptions.Builder<?> builder = defaults != null ? defaults.mutate() : ChatOptions.builder();
        List<ToolCallback> tools = toolCallbacks(request.tools());
        if (!tools.isEmpty() && !(builder instanceof ToolCallingChatOptions.Builder<?>)) {
            // a model without tool-calling options of its own: carry the defaults over to portable ones
            ChatOptions.Builder<?> portable = ToolCallingChatOptions.builder();
            portable.combineWith(builder);
            builder = portable;
        }
        if (builder instanceof ToolCallingChatOptions.Builder<?> toolCalling) {
            // the gateway decides which tools are offered: never the model's defaults
            toolCalling.toolCallbacks(tools);
        }
        (customizer == null ? ChatOptionsCustomizer.PORTABLE : customizer).customize(builder, request);
        return builder.build();
    }

    static List<ToolCallback> toolCallbacks(List<ToolSpec> specs) {
        List<ToolCallback> callbacks = new ArrayList<>(specs.size());
        for (ToolSpec spec : specs) {
            ToolDefinition definition = ToolDefinition.builder()
                    .name(spec.name())
                    .description(spec.description())
                    .inputSchema(JsonParser.toJson(spec.parameters()))
                    .build();
            callbacks.add(new DefinitionOnlyToolCallback(definition));
        }
        return callbacks;
    }

    private static String assistantText(LlmMessage message) {
        if (message.content() != null && !message.content().isEmpty()) {
            return message.content();
        }
        // an assistant turn that only called tools has no text; providers reject empty text blocks
        return message.hasToolCalls() ? null : "";
    }

    private static String text(String content) {
        return content == null ? "" : content;
    }
}
