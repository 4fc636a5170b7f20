package dev.agentgateway.core.provider;

/** The provider did not answer within the call's time-out, or the connection failed. */
public class ProviderTimeoutException extends ProviderException {

    public ProviderTimeoutException(String provider, String message, Throwable cause) {
        super(provider, message, true, cause);
    }

    @Override
    public ProviderTimeoutException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderTimeoutException(provider(), message, cause));
    }
}
