package dev.agentgateway.core.provider;

/**
 * A streaming call reached a client that only answers whole responses. The gateway refuses the
 * stream rather than play the blocking answer back as one chunk: a caller that streams expects
 * its time to first token, its cut-offs and its cancellation to act on the provider, and a
 * client that cannot stream would silently give it none of them. Not retryable: the same client
 * will refuse again.
 */
public class StreamingNotSupportedException extends ProviderException {

    public StreamingNotSupportedException(String provider, String clientName) {
        this(provider, "The client of provider '" + provider + "' (" + clientName + ") does not stream: implement "
                + "LlmClient.stream(LlmRequest), or make a blocking call for this provider", null);
    }

    private StreamingNotSupportedException(String provider, String message, Throwable cause) {
        super(provider, message, false, cause);
    }

    @Override
    public StreamingNotSupportedException withMessage(String message, Throwable cause) {
        return sameTrace(new StreamingNotSupportedException(provider(), message, cause));
    }
}
