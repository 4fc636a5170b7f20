package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenDetails;
import org.springframework.ai.chat.metadata.Usage;

/**
 * Reads what a provider's usage says beyond prompt and completion tokens: input read from and
 * written to the prompt cache, and reasoning tokens, so that the gateway prices them. Providers
 * whose counts mean something else (Anthropic's input excludes cached input; Gemini's output
 * excludes thinking) supply their own.
 */
@FunctionalInterface
public interface UsageReader {

    /** Spring AI's portable usage: prompt tokens include the cache reads and writes it reports. */
    UsageReader PORTABLE = (usage, response) -> response.withTokenDetails(TokenDetails.of(
            positive(usage.getCacheReadInputTokens()), positive(usage.getCacheWriteInputTokens()), 0));

    /**
     * @param usage    the provider's usage, as Spring AI reports it (its native usage included)
     * @param response the answer with the prompt and completion tokens already read
     * @return the answer with its token counts and details as the gateway defines them
     */
    LlmResponse read(Usage usage, LlmResponse response);

    static long positive(Number count) {
        return count == null || count.longValue() < 0 ? 0 : count.longValue();
    }
}
