package dev.agentgateway.core.provider;

import java.util.Locale;

/**
 * The providers the gateway knows by name. Provider ids stay plain strings throughout the API
 * so that any client registered with {@code Gateway.registerProvider} works the same way.
 */
public enum LlmProvider {
    OPENAI("openai", "spring-ai-openai"),
    ANTHROPIC("anthropic", "spring-ai-anthropic"),
    GEMINI("gemini", "spring-ai-google-genai"),
    GROK("grok", "spring-ai-openai"),
    OLLAMA("ollama", "spring-ai-ollama"),
    MOCK("mock", "gateway-core");

    private final String id;
    private final String module;

    LlmProvider(String id, String module) {
        this.id = id;
        this.module = module;
    }

    /** The provider id used in calls, history and metrics, e.g. {@code "openai"}. */
    public String id() {
        return id;
    }

    /** The Maven artifact that provides this provider's client. */
    public String module() {
        return module;
    }

    /** The provider with this id (case-insensitive), or {@code null} when the id is not a known one. */
    public static LlmProvider fromId(String id) {
        if (id == null) {
            return null;
        }
        // on every call's path: ids already in canonical spelling need no lower-cased copy, and
        // no clone of values()
        for (LlmProvider provider : ALL) {
            if (provider.id.equals(id)) {
                return provider;
            }
        }
        String lower = id.toLowerCase(Locale.ROOT);
        for (LlmProvider provider : ALL) {
            if (provider.id.equals(lower)) {
                return provider;
            }
        }
        return null;
    }

    private static final LlmProvider[] ALL = values();
}
