package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.ProviderException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.util.List;

/**
 * HTTP errors of streams over Spring's {@code WebClient} (Ollama's streaming chat, ChatModel beans
 * that stream with one): the same status mapping as {@link SpringWebErrorTranslator} gives the
 * blocking path, so a rate-limited stream is a rate limit and not an unreadable answer.
 */
final class SpringWebClientErrorTranslator implements ProviderErrorTranslator {

    @Override
    public ProviderException translate(String provider, Throwable failure, ProviderErrors errors) {
        if (failure instanceof WebClientResponseException http) {
            HttpHeaders headers = http.getHeaders();
            String body = http.getResponseBodyAsString();
            return errors.forStatus(provider, http.getStatusCode().value(),
                    name -> headers == null ? List.of() : headers.getOrEmpty(name),
                    body == null || body.isBlank() ? http.getStatusText() : body, failure);
        }
        return null;
    }
}
