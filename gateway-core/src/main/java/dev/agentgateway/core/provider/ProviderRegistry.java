package dev.agentgateway.core.provider;

import dev.agentgateway.core.secrets.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clients a gateway calls, by provider id, and the factories that make them from an API key.
 * Factories come from {@link ServiceLoader} and from the builder; ids are normalised
 * ({@code "OpenAI"} and {@code "openai"} are one provider). Every key given to {@link #configure}
 * feeds the {@link #redactor()}, which keeps it out of any error text the gateway writes or throws.
 */
public final class ProviderRegistry {

    private static final Logger log = LoggerFactory.getLogger("dev.agentgateway.core.Gateway");

    private final Map<String, LlmClient> clients = new ConcurrentHashMap<>();
    private final Map<String, LlmClientFactory> factories = new ConcurrentHashMap<>();
    private final AtomicReference<SecretRedactor> redactor = new AtomicReference<>(SecretRedactor.none());

    /** A registry with the class path's factories, then {@code extraFactories} (which win), and these clients. */
    public ProviderRegistry(Collection<LlmClientFactory> extraFactories, Map<String, LlmClient> initialClients) {
        ServiceLoader.load(LlmClientFactory.class, ProviderRegistry.class.getClassLoader())
                .forEach(factory -> factories.put(factory.providerId(), factory));
        extraFactories.forEach(this::registerFactory);
        initialClients.forEach(this::register);
    }

    /**
     * Creates the provider's client from an API key and options with the factory registered for
     * it. The option {@code type} names another factory to use under this id (an
     * {@code "openai-compatible"} server registered as {@code "vllm"}).
     *
     * @throws ProviderNotFoundException when no factory serves {@code provider} (its module is missing)
     */
    public void configure(String provider, String apiKey, Map<String, ?> options) {
        String id = normalizeId(provider);
        Map<String, ?> settings = options == null ? Map.of() : options;
        String factoryId = settings.get("type") == null ? id : normalizeId(String.valueOf(settings.get("type")));
        LlmClientFactory factory = factories.get(factoryId);
        if (factory == null) {
            throw ProviderNotFoundException.noFactory(factoryId);
        }
        redactor.updateAndGet(current -> current.with(apiKey));
        clients.put(id, factory.create(apiKey, settings));
        log.info("Configured LLM provider '{}'", id);
    }

    /** Registers any client under an id of your choosing. */
    public void register(String providerId, LlmClient client) {
        clients.put(normalizeId(providerId), Objects.requireNonNull(client, "client"));
    }

    public void registerFactory(LlmClientFactory factory) {
        factories.put(factory.providerId(), factory);
    }

    /** The client registered under an id already normalised, or {@code null}. */
    public LlmClient find(String normalizedId) {
        return clients.get(normalizedId);
    }

    public boolean contains(String normalizedId) {
        return clients.containsKey(normalizedId);
    }

    public Set<String> ids() {
        return Collections.unmodifiableSet(clients.keySet());
    }

    /** Masks every configured key (and key-shaped text). */
    public SecretRedactor redactor() {
        return redactor.get();
    }

    /**
     * The failure as a typed provider exception without any secret in it: a client that echoes its
     * key (in a message or a cause's) must not leak it to callers, logs or the history. A typed
     * failure keeps its type, retryability and figures, so retries and circuit breakers treat it
     * as they would have; any other becomes a provider failure that is not retried.
     */
    public ProviderException scrubbed(String providerId, RuntimeException failure) {
        SecretRedactor secrets = redactor.get();
        if (failure instanceof ProviderException typed) {
            return secrets.exposedIn(typed) ? typed.withMessage(secrets.redact(typed.getMessage()), secrets.safeCause(typed.getCause()))
                    : typed;
        }
        return new ProviderException(providerId, secrets.redact("Provider '" + providerId + "' failed: " + failure), false,
                secrets.safeCause(failure));
    }

    /** The id of a known provider in its canonical spelling; any other id as it is. */
    public static String normalizeId(String provider) {
        Objects.requireNonNull(provider, "provider");
        LlmProvider known = LlmProvider.fromId(provider);
        return known != null ? known.id() : provider;
    }
}
