package dev.agentgateway.core.provider;

/** The provider answered, but with something that is not a usable response (malformed, empty). */
public class ProviderBadResponseException extends ProviderException {

    public ProviderBadResponseException(String provider, String message, Throwable cause) {
        super(provider, message, false, cause);
    }

    @Override
    public ProviderBadResponseException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderBadResponseException(provider(), message, cause));
    }
}
