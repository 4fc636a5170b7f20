package dev.agentgateway.core.limits;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryBudgetLedgerTest {

    private static List<ScopedLimit> run(String id) {
        return List.of(new ScopedLimit(LimitScope.global(), ScopeLimits.NONE), new ScopedLimit(LimitScope.workflow(id), ScopeLimits.NONE));
    }

    @Test
    void keepsAtMostMaxTrackedRunsForgettingTheLeastRecentlyUsed() {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(2);
        for (String id : List.of("a", "b", "c")) {
            ledger.commit(ledger.reserve("agent", run(id), BigDecimal.ONE), BigDecimal.ONE, 1, 1);
        }
        assertThat(ledger.usages(LimitScope.Type.WORKFLOW)).extracting(u -> u.scope().id()).containsExactlyInAnyOrder("b", "c");
        assertThat(ledger.usage(LimitScope.global()).committedSteps()).isEqualTo(3);
    }

    @Test
    void neverForgetsARunWithACallInFlight() {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(1);
        Reservation inFlight = ledger.reserve("agent", run("busy"), BigDecimal.ONE);
        Reservation other = ledger.reserve("agent", run("other"), BigDecimal.ONE);
        assertThat(ledger.usage(LimitScope.workflow("busy")).reservedSteps()).isEqualTo(1);
        assertThat(ledger.usage(LimitScope.workflow("other")).reservedSteps()).isEqualTo(1);
        ledger.commit(other, BigDecimal.ONE, 1, 1);
        assertThat(ledger.usage(LimitScope.workflow("other")).committedSteps()).isEqualTo(1);
        ledger.commit(inFlight, BigDecimal.ONE, 1, 1);
        assertThat(ledger.usage(LimitScope.workflow("busy")).committedSteps()).isEqualTo(1);
    }
}
