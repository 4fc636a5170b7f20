package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.UnpricedModelException;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReserveStageTest {

    @Test
    void reservesOneStepAndTheEstimateOnEveryScopeOfTheCall() {
        Parts parts = new Parts();

        PreparedCall prepared = parts.prepared(TestClients.echo("0.25"));

        assertThat(prepared.reservation().scopes()).containsExactly(LimitScope.global(), LimitScope.agent("a"),
                LimitScope.workflow("run-1"));
        assertThat(parts.global().reservedSteps()).isEqualTo(1);
        assertThat(parts.global().reservedCost()).isEqualByComparingTo("0.25");
        assertThat(prepared.origin().step()).isEqualTo(1);
    }

    @Test
    void theRequestCarriesTheOutputCapTheReservationCounts() {
        PreparedCall prepared = new Parts().prepared(TestClients.echo("0.25"));

        assertThat(prepared.request().maxTokens()).isEqualTo(100);
    }

    @Test
    void aLimitThatCannotHoldTheCallRefusesItWithNothingReserved() {
        Parts parts = new Parts(ExecutionLimits.builder().maxSteps(1).build());
        parts.prepared(TestClients.echo("0.25"));

        assertThatThrownBy(() -> parts.prepared(TestClients.echo("0.25"))).isInstanceOf(StepLimitExceededException.class);
        assertThat(parts.records()).extracting(CallRecord::refusedBy).containsExactly("global");
        assertThat(parts.global().reservedSteps()).isEqualTo(1);
    }

    @Test
    void aModelWithoutAPriceIsRefusedUnderAMoneyLimit() {
        Parts parts = new Parts(ExecutionLimits.builder().maxBudget(new BigDecimal("1")).build());
        ReserveStage stage = parts.reserveStage();

        assertThatThrownBy(() -> stage.prepare(Parts.call(), new CallTarget("a", "p", "house-model", 1),
                new TestClients.CountingClient(request -> LlmResponse.text("x", 1, 1), null), ExecutionObserver.Span.NOOP))
                .isInstanceOf(UnpricedModelException.class);
        assertThat(parts.records()).extracting(CallRecord::refusedBy).containsExactly("unpriced:house-model");
    }
}
