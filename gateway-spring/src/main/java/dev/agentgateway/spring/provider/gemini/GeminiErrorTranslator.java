package dev.agentgateway.spring.provider.gemini;

import com.google.genai.errors.ApiException;
import dev.agentgateway.spring.provider.ProviderErrorTranslator;
import dev.agentgateway.spring.provider.ProviderErrors;
import dev.agentgateway.core.provider.ProviderException;

/**
 * Failures of the Google GenAI SDK, which Spring AI wraps in a plain RuntimeException. The SDK
 * does not expose response headers, so a 429 carries no Retry-After and the back-off applies.
 */
public final class GeminiErrorTranslator implements ProviderErrorTranslator {

    @Override
    public ProviderException translate(String provider, Throwable failure, ProviderErrors errors) {
        if (failure instanceof ApiException api) {
            String detail = api.status() == null ? api.message() : api.status() + " " + api.message();
            return errors.forStatus(provider, api.code(), null, detail, failure);
        }
        return null;
    }
}
