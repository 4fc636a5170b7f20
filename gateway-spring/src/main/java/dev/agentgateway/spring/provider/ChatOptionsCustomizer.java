package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmRequest;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * Puts a request's model, temperature and output-token limit on the options builder of a
 * ChatModel (a copy of its default options). Providers whose API names a setting differently
 * supply their own.
 */
@FunctionalInterface
public interface ChatOptionsCustomizer {

    /** Model, temperature and {@code maxTokens} as the portable options define them. */
    ChatOptionsCustomizer PORTABLE = (builder, request) -> {
        if (request.model() != null && !request.model().isBlank()) {
            builder.model(request.model());
        }
        if (request.temperature() != null) {
            builder.temperature(request.temperature());
        }
        if (request.maxTokens() != null) {
            builder.maxTokens(request.maxTokens());
        }
    };

    void customize(ChatOptions.Builder<?> builder, LlmRequest request);
}
