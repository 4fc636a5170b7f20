package dev.agentgateway.core.provider;

/** The provider rejected the credentials (HTTP 401 or 403). Never carries the key itself. */
public class ProviderAuthenticationException extends ProviderException {

    public ProviderAuthenticationException(String provider, String message, Throwable cause) {
        super(provider, message, false, cause);
    }

    @Override
    public ProviderAuthenticationException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderAuthenticationException(provider(), message, cause));
    }
}
