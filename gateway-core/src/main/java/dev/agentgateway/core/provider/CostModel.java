package dev.agentgateway.core.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What calls cost: the upper bound reserved before a call, and the actual cost after it, from the
 * client's own figures or the {@link PriceTable}. A model without a price is refused while a
 * money limit applies, unless unpriced models are allowed; then it is recorded at cost 0.
 */
public final class CostModel {

    private static final Logger log = LoggerFactory.getLogger("dev.agentgateway.core.Gateway");

    private volatile PriceTable priceTable;
    private final TokenCounter tokenCounter;
    private final boolean allowUnpricedModels;
    private final Set<String> unpricedModels = ConcurrentHashMap.newKeySet();

    public CostModel(PriceTable priceTable, TokenCounter tokenCounter, boolean allowUnpricedModels) {
        this.priceTable = Objects.requireNonNull(priceTable, "priceTable");
        this.tokenCounter = Objects.requireNonNull(tokenCounter, "tokenCounter");
        this.allowUnpricedModels = allowUnpricedModels;
    }

    public PriceTable priceTable() {
        return priceTable;
    }

    public void priceTable(PriceTable table) {
        this.priceTable = Objects.requireNonNull(table, "priceTable");
    }

    /**
     * What to reserve: an upper bound of the call's cost. The client's own bound, else the counted
     * prompt plus the output cap the request sends, at the model's dearest input price.
     *
     * @param underMoneyLimit whether a money limit applies to the call (then a model without a price is refused)
     * @throws UnpricedModelException when the model has no price, a money limit applies and unpriced models are not allowed
     */
    public BigDecimal estimate(LlmClient client, LlmRequest request, String agentId, boolean underMoneyLimit) {
        Optional<BigDecimal> own = client.estimateCost(request);
        if (own.isPresent()) {
            return own.get();
        }
        Optional<ModelPrice> price = priceTable.find(request.model());
        if (price.isPresent()) {
            return price.get().maxCost(tokenCounter.inputTokens(request), request.maxTokens());
        }
        if (!allowUnpricedModels && underMoneyLimit) {
            throw new UnpricedModelException(request.model(), agentId);
        }
        return BigDecimal.ZERO;
    }

    /**
     * The cost of an answer: the client's own figure, else the price table's; {@code null} when
     * the model has no price (warned about once per model).
     */
    public BigDecimal actualCost(String model, LlmResponse raw) {
        if (raw.cost() != null) {
            return raw.cost();
        }
        Optional<ModelPrice> price = priceTable.find(model);
        if (price.isPresent()) {
            return price.get().cost(raw.inputTokens(), raw.outputTokens(), raw.tokenDetails());
        }
        if (unpricedModels.add(String.valueOf(model))) {
            log.warn("No price for model '{}': its calls are recorded at cost 0 and flagged as unpriced", model);
        }
        return null;
    }
}
