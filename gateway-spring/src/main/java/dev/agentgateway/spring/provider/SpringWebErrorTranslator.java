package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.ProviderException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClientResponseException;

import java.util.List;

/**
 * HTTP errors of clients built on Spring's {@code RestClient} (Ollama with the gateway's error
 * handler, and ChatModel beans that use one): status and Retry-After come from the response.
 */
final class SpringWebErrorTranslator implements ProviderErrorTranslator {

    @Override
    public ProviderException translate(String provider, Throwable failure, ProviderErrors errors) {
        if (failure instanceof RestClientResponseException http) {
            HttpHeaders headers = http.getResponseHeaders();
            return errors.forStatus(provider, http.getStatusCode().value(),
                    name -> headers == null ? List.of() : headers.getOrEmpty(name), bodyOrMessage(http), failure);
        }
        return null;
    }

    private static String bodyOrMessage(RestClientResponseException http) {
        String body = http.getResponseBodyAsString();
        return body == null || body.isBlank() ? http.getStatusText() : body;
    }
}
