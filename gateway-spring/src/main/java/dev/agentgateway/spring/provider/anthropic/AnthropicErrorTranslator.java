package dev.agentgateway.spring.provider.anthropic;

import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicServiceException;
import dev.agentgateway.spring.provider.ProviderErrorTranslator;
import dev.agentgateway.spring.provider.ProviderErrors;
import dev.agentgateway.core.provider.ProviderException;

/** Failures of the official Anthropic SDK; 529 (overloaded) is a server error. */
public final class AnthropicErrorTranslator implements ProviderErrorTranslator {

    @Override
    public ProviderException translate(String provider, Throwable failure, ProviderErrors errors) {
        if (failure instanceof AnthropicServiceException service) {
            return errors.forStatus(provider, service.statusCode(), name -> service.headers().values(name),
                    service.getMessage(), failure);
        }
        if (failure instanceof AnthropicInvalidDataException) {
            return errors.badResponse(provider, "returned data the Anthropic client could not read", failure);
        }
        return null;
    }
}
