package dev.agentgateway.core.provider;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CostModelTest {

    private static final LlmClient NO_ESTIMATE = request -> LlmResponse.text("x", 1, 1);

    private static LlmRequest request(String model) {
        return new LlmRequest("p", model, List.of(LlmMessage.user("hi")), List.of(), null, 100);
    }

    @Test
    void aPricedModelIsEstimatedAtItsPriceForThePromptAndTheOutputCap() {
        CostModel costs = new CostModel(PriceTable.empty().with("m", ModelPrice.of("1000000", "1000000")), TokenCounter.standard(),
                false);

        BigDecimal estimate = costs.estimate(NO_ESTIMATE, request("m"), "a", true);

        assertThat(estimate).isGreaterThanOrEqualTo(new BigDecimal("100")); // at least the 100 output tokens at 1 USD each
    }

    @Test
    void anUnpricedModelIsRefusedUnderAMoneyLimitUnlessAllowed() {
        assertThatThrownBy(() -> new CostModel(PriceTable.empty(), TokenCounter.standard(), false)
                .estimate(NO_ESTIMATE, request("house"), "a", true)).isInstanceOf(UnpricedModelException.class);

        assertThat(new CostModel(PriceTable.empty(), TokenCounter.standard(), true).estimate(NO_ESTIMATE, request("house"), "a", true))
                .isZero();
        assertThat(new CostModel(PriceTable.empty(), TokenCounter.standard(), false).estimate(NO_ESTIMATE, request("house"), "a", false))
                .isZero();
    }

    @Test
    void theActualCostIsTheClientsOwnElseThePriceTablesElseUnknown() {
        CostModel costs = new CostModel(PriceTable.empty().with("m", ModelPrice.of("1", "1")), TokenCounter.standard(), false);

        assertThat(costs.actualCost("m", LlmResponse.text("x", 1, 1).withCost(new BigDecimal("0.5")))).isEqualByComparingTo("0.5");
        assertThat(costs.actualCost("m", LlmResponse.text("x", 1_000_000, 0))).isEqualByComparingTo("1");
        assertThat(costs.actualCost("house", LlmResponse.text("x", 1, 1))).isNull();
    }
}
