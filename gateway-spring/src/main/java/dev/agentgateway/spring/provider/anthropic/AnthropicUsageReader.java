package dev.agentgateway.spring.provider.anthropic;

import dev.agentgateway.spring.provider.UsageReader;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenDetails;
import org.springframework.ai.chat.metadata.Usage;

/**
 * Anthropic's usage: {@code input_tokens} leave out {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens}, which are input all the same (priced apart).
 */
final class AnthropicUsageReader implements UsageReader {

    static final AnthropicUsageReader INSTANCE = new AnthropicUsageReader();

    private AnthropicUsageReader() {
    }

    @Override
    public LlmResponse read(Usage usage, LlmResponse response) {
        long read = UsageReader.positive(usage.getCacheReadInputTokens());
        long written = UsageReader.positive(usage.getCacheWriteInputTokens());
        return new LlmResponse(response.content(), response.toolCalls(), response.inputTokens() + read + written,
                response.outputTokens(), response.cost(), response.model(), response.provider(), response.latencyMs(),
                response.finishReason(), TokenDetails.of(read, written, 0));
    }
}
