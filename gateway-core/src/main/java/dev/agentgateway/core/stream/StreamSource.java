package dev.agentgateway.core.stream;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmRequest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * A stream the gateway governs that a framework makes with a client of its own (a Spring AI
 * {@code ChatClient}'s advisor chain, say), in the framework's own element type: the gateway
 * opens it once the call is admitted and reserved, reads the {@link LlmChunk}s each element
 * carries to meter and assemble the answer, and hands the elements on unchanged.
 *
 * @param <T> what the framework's stream publishes
 */
public interface StreamSource<T> {

    /**
     * The stream of {@code request} (the model and output cap the gateway chose), not started: it is
     * subscribed to once the before-call hooks ran, and a cancel must close its connection.
     */
    Flow.Publisher<T> open(LlmRequest request);

    /** The chunks {@code element} carries (text, tool-call pieces, usage, finish reason, model); none is fine. */
    List<LlmChunk> chunks(T element);

    /** An upper bound of the request's cost when the source knows better than the price table; empty otherwise. */
    default Optional<BigDecimal> estimateCost(LlmRequest request) {
        return Optional.empty();
    }

    /**
     * Whether the provider stops at the request's max tokens by itself. A source that cannot make it
     * (false) is cut off when its output, counted as it arrives, reaches the cap.
     */
    default boolean boundsOutput() {
        return true;
    }
}
