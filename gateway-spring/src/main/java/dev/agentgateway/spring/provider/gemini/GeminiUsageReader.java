package dev.agentgateway.spring.provider.gemini;

import dev.agentgateway.spring.provider.UsageReader;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenDetails;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.google.genai.metadata.GoogleGenAiUsage;

/**
 * Gemini's usage: {@code candidatesTokenCount} leaves out {@code thoughtsTokenCount}, which is
 * billed as output, and {@code promptTokenCount} leaves out {@code toolUsePromptTokenCount}, billed
 * as input; {@code cachedContentTokenCount} is part of the prompt.
 */
final class GeminiUsageReader implements UsageReader {

    static final GeminiUsageReader INSTANCE = new GeminiUsageReader();

    private GeminiUsageReader() {
    }

    @Override
    public LlmResponse read(Usage usage, LlmResponse response) {
        if (!(usage instanceof GoogleGenAiUsage gemini)) {
            return PORTABLE.read(usage, response);
        }
        long thoughts = UsageReader.positive(gemini.getThoughtsTokenCount());
        long toolPrompt = UsageReader.positive(gemini.getToolUsePromptTokenCount());
        return new LlmResponse(response.content(), response.toolCalls(), response.inputTokens() + toolPrompt,
                response.outputTokens() + thoughts, response.cost(), response.model(), response.provider(), response.latencyMs(),
                response.finishReason(), TokenDetails.of(UsageReader.positive(gemini.getCachedContentTokenCount()), 0, thoughts));
    }
}
