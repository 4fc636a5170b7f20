package dev.agentgateway.bench;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import java.util.List;

/**
 * Spring AI's counterpart of {@link NoopLlmClient}: a {@code ChatModel} that returns a response
 * built in advance, {@link NoopLlmClient#ANSWER_A} to {@link Fixtures#PROMPT_A} and
 * {@link NoopLlmClient#ANSWER_B} to anything else (so the gateway advisor's loop detection sees a
 * changing output, as with the gateway's own benchmarks).
 */
public final class NoopSpringAiChatModel implements ChatModel {

    private static final ChatResponse RESPONSE_A = response(NoopLlmClient.ANSWER_A);
    private static final ChatResponse RESPONSE_B = response(NoopLlmClient.ANSWER_B);

    @Override
    public ChatResponse call(Prompt prompt) {
        List<Message> messages = prompt.getInstructions();
        return Fixtures.PROMPT_A.equals(messages.get(messages.size() - 1).getText()) ? RESPONSE_A : RESPONSE_B;
    }

    private static ChatResponse response(String text) {
        return new ChatResponse(
                List.of(new Generation(new AssistantMessage(text), ChatGenerationMetadata.builder().finishReason("STOP").build())),
                ChatResponseMetadata.builder().id("noop").model(Fixtures.MODEL).usage(new DefaultUsage(12, 8)).build());
    }
}
