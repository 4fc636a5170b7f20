package dev.agentgateway.core.provider;

/** No client is registered under the provider id of a call, or no factory can create one. */
public class ProviderNotFoundException extends ProviderException {

    public ProviderNotFoundException(String provider, String message) {
        super(provider, message, false, null);
    }

    /** A copy with the message; this failure has no cause to keep. */
    @Override
    public ProviderNotFoundException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderNotFoundException(provider(), message));
    }

    public static ProviderNotFoundException notRegistered(String provider) {
        return new ProviderNotFoundException(provider, "No LLM provider '" + provider
                + "' is registered; configure it with configureProvider(...) or registerProvider(...)");
    }

    public static ProviderNotFoundException noFactory(String provider) {
        LlmProvider known = LlmProvider.fromId(provider);
        String hint = known == null
                ? "register a client with registerProvider(\"" + provider + "\", client)"
                : "add " + known.module() + " (and gateway-autoconfigure) to the class path";
        return new ProviderNotFoundException(provider, "Cannot configure LLM provider '" + provider + "': " + hint);
    }
}
