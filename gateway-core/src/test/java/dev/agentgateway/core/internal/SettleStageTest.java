package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class SettleStageTest {

    private final Parts parts = new Parts();
    private final SettleStage stage = new SettleStage(parts.costs, parts.limits, parts.events);

    private PreparedCall started(String estimate) {
        PreparedCall prepared = parts.prepared(TestClients.echo(estimate));
        prepared.start(ExecutionObserver.NOOP);
        return prepared;
    }

    @Test
    void commitsTheActualCostInPlaceOfTheReservation() {
        PreparedCall prepared = started("0.50");

        CallRecord success = stage.settle(prepared, LlmResponse.text("hi", 10, 5).withCost(new BigDecimal("0.20")));

        assertThat(parts.global().reservedSteps()).isZero();
        assertThat(parts.global().committedCost()).isEqualByComparingTo("0.20");
        assertThat(success.success()).isTrue();
        assertThat(success.response().provider()).isEqualTo("p");
        assertThat(prepared.record()).isSameAs(success);
    }

    @Test
    void anAnswerWithoutACostIsPricedFromThePriceTable() {
        CallRecord success = stage.settle(started("0.50"), LlmResponse.text("hi", 1_000_000, 0));

        assertThat(success.priced()).isTrue();
        assertThat(success.cost()).isPositive();
        assertThat(success.model()).isEqualTo("gpt-4o");
    }

    @Test
    void anAnswerDearerThanItsReservationIsCommittedAndReportedAsAnOverrun() {
        CallRecord success = stage.settle(started("0.01"), LlmResponse.text("hi", 10, 5).withCost(new BigDecimal("0.05")));

        assertThat(success.overrun()).isEqualByComparingTo("0.04");
        assertThat(parts.global().committedCost()).isEqualByComparingTo("0.05");
        assertThat(parts.heard).containsExactly("overrun:" + success.callId());
    }

    @Test
    void settlingTwiceCannotReleaseTheCommittedReservation() {
        PreparedCall prepared = started("0.50");
        stage.settle(prepared, LlmResponse.text("hi", 10, 5).withCost(new BigDecimal("0.20")));

        prepared.release();

        assertThat(parts.global().failedCalls()).isZero();
        assertThat(parts.global().committedSteps()).isEqualTo(1);
    }
}
