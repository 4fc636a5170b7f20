package dev.agentgateway.core.provider;

/** The provider failed on its side (HTTP 5xx); worth retrying. */
public class ProviderServerException extends ProviderException {

    private final int status;

    public ProviderServerException(String provider, int status, String message, Throwable cause) {
        super(provider, message, true, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public ProviderServerException withMessage(String message, Throwable cause) {
        return sameTrace(new ProviderServerException(provider(), status, message, cause));
    }
}
