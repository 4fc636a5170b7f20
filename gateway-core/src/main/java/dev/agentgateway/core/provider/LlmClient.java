package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The provider SPI: one blocking completion per request, and optionally a stream of the same
 * answer. Implementations translate failures into {@link ProviderException}s; anything else they
 * throw is wrapped by the gateway.
 */
@FunctionalInterface
public interface LlmClient {

    LlmResponse complete(LlmRequest request);

    /**
     * The answer to {@code request} as it is produced, chunk by chunk. The publisher is cold: nothing
     * is sent to the provider before it is subscribed to, and each subscription is one provider call.
     * It honours {@code request(n)} (no more chunks than requested), and {@code cancel()} closes the
     * provider connection. A failure half way is signalled as a {@link ProviderException} after the
     * chunks already delivered. Where the provider's API has to be asked for usage in a stream, the
     * client asks, so that the stream ends with a {@link LlmChunk.Usage}.
     *
     * <p>By default a client does not stream: this method throws {@link StreamingNotSupportedException}
     * at once, before anything is sent. It does not fall back to {@link #complete} as a one-chunk stream,
     * because a caller that streams relies on cut-offs and cancellation reaching the provider.
     *
     * @throws StreamingNotSupportedException when this client only answers whole responses
     */
    default Flow.Publisher<LlmChunk> stream(LlmRequest request) {
        throw new StreamingNotSupportedException(request.provider(), getClass().getName());
    }

    /**
     * An upper bound of what {@code request} will cost, when the client knows better than the
     * price table (a mock with a fixed price, say). The gateway reserves this amount before the
     * call; empty means "price the request from the price table".
     */
    default Optional<BigDecimal> estimateCost(LlmRequest request) {
        return Optional.empty();
    }

    /**
     * Whether the provider stops at the request's max tokens by itself, as every provider API the
     * gateway adapts does. A client that cannot make it (false) has its streams cut off when their
     * output, counted as it arrives, reaches the cap, so its spend stays within the reservation.
     */
    default boolean boundsOutput() {
        return true;
    }
}
