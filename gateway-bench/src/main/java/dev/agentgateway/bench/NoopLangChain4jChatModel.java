package dev.agentgateway.bench;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/** LangChain4j's counterpart of {@link NoopLlmClient}: a {@code ChatModel} that returns a response built in advance. */
public final class NoopLangChain4jChatModel implements ChatModel {

    private static final ChatResponse RESPONSE = ChatResponse.builder()
            .aiMessage(AiMessage.from(NoopLlmClient.ANSWER_A))
            .modelName(Fixtures.MODEL)
            .tokenUsage(new TokenUsage(12, 8))
            .finishReason(FinishReason.STOP)
            .build();

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return RESPONSE;
    }
}
