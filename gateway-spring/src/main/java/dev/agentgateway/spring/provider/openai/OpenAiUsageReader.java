package dev.agentgateway.spring.provider.openai;

import com.openai.models.completions.CompletionUsage;
import dev.agentgateway.spring.provider.UsageReader;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenDetails;
import org.springframework.ai.chat.metadata.Usage;

/**
 * OpenAI's usage: {@code prompt_tokens} include {@code prompt_tokens_details.cached_tokens}, and
 * {@code completion_tokens} include {@code completion_tokens_details.reasoning_tokens}.
 */
final class OpenAiUsageReader implements UsageReader {

    static final OpenAiUsageReader INSTANCE = new OpenAiUsageReader();

    private OpenAiUsageReader() {
    }

    @Override
    public LlmResponse read(Usage usage, LlmResponse response) {
        long reasoning = usage.getNativeUsage() instanceof CompletionUsage completion
                ? completion.completionTokensDetails().flatMap(CompletionUsage.CompletionTokensDetails::reasoningTokens).orElse(0L)
                : 0;
        return response.withTokenDetails(TokenDetails.of(UsageReader.positive(usage.getCacheReadInputTokens()), 0,
                Math.max(0, reasoning)));
    }
}
