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

    /**
     * A fallback to {@code provider} for a stream a framework opened with its own client for
     * {@code sourceProvider} (a {@code ChatClient}'s advisor chain, say): the other provider's chunks
     * cannot become the framework's elements.
     */
    public static StreamingNotSupportedException fallbackOfSource(String provider, String sourceProvider) {
        return new StreamingNotSupportedException(provider, "A fallback to provider '" + provider + "' cannot serve a stream"
                + " that a framework opened through its own client for provider '" + sourceProvider + "' (e.g. a ChatClient"
                + " with GatewayAdvisor): configure that stream's fallbacks as other models of provider '" + sourceProvider
                + "', or stream through Gateway.stream(call), whose chunks any provider can serve", null);
    }

    private StreamingNotSupportedException(String provider, String message, Throwable cause) {
        super(provider, message, false, cause);
    }

    @Override
    public StreamingNotSupportedException withMessage(String message, Throwable cause) {
        return sameTrace(new StreamingNotSupportedException(provider(), message, cause));
    }
}
