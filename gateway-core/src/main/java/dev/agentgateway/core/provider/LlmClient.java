package dev.agentgateway.core.provider;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The provider SPI: one blocking completion per request. Implementations translate failures
 * into {@link ProviderException}s; anything else they throw is wrapped by the gateway.
 */
@FunctionalInterface
public interface LlmClient {

    LlmResponse complete(LlmRequest request);

    /**
     * An upper bound of what {@code request} will cost, when the client knows better than the
     * price table (a mock with a fixed price, say). The gateway reserves this amount before the
     * call; empty means "price the request from the price table".
     */
    default Optional<BigDecimal> estimateCost(LlmRequest request) {
        return Optional.empty();
    }
}
