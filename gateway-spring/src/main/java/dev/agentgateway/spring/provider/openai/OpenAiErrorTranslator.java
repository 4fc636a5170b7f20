package dev.agentgateway.spring.provider.openai;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIServiceException;
import dev.agentgateway.spring.provider.ProviderErrorTranslator;
import dev.agentgateway.spring.provider.ProviderErrors;
import dev.agentgateway.core.provider.ProviderException;

/** Failures of the official OpenAI SDK (OpenAI, Grok and OpenAI-compatible servers). */
public final class OpenAiErrorTranslator implements ProviderErrorTranslator {

    @Override
    public ProviderException translate(String provider, Throwable failure, ProviderErrors errors) {
        if (failure instanceof OpenAIServiceException service) {
            return errors.forStatus(provider, service.statusCode(), name -> service.headers().values(name),
                    service.getMessage(), failure);
        }
        if (failure instanceof OpenAIInvalidDataException) {
            return errors.badResponse(provider, "returned data the OpenAI client could not read", failure);
        }
        return null;
    }
}
