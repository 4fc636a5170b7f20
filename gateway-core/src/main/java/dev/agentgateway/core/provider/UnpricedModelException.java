package dev.agentgateway.core.provider;

import dev.agentgateway.core.GatewayException;

/**
 * A call to a model without a price was refused before the provider, because a money limit
 * applies to it: an unpriced call would cost the budget nothing, whatever it really cost.
 */
public class UnpricedModelException extends GatewayException {

    /** The Spring Boot property that prices a model (in the starter). */
    public static final String PRICE_PROPERTY = "agent-gateway.pricing.[%s].input-per-million / output-per-million";
    /** The Spring Boot property that lets unpriced models run under a money limit. */
    public static final String ALLOW_PROPERTY = "agent-gateway.allow-unpriced-models";

    private final String model;
    private final String agentId;

    public UnpricedModelException(String model, String agentId) {
        super("Refused the call of agent '" + agentId + "' to model '" + model + "': the model has no price and a budget applies. "
                + "Price it (" + String.format(PRICE_PROPERTY, model) + ", or PriceTable.with) or allow unpriced models ("
                + ALLOW_PROPERTY + "=true, or Gateway.builder().allowUnpricedModels(true)).");
        this.model = model;
        this.agentId = agentId;
    }

    public String model() {
        return model;
    }

    public String agentId() {
        return agentId;
    }
}
