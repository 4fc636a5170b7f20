package dev.agentgateway.core.limits;

import dev.agentgateway.core.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitEnforcerTest {

    private final MutableClock clock = MutableClock.create();
    private final List<LimitWarning> warnings = new ArrayList<>();

    private LimitEnforcer enforcer(ExecutionLimits limits) {
        return new LimitEnforcer(limits, new InMemoryBudgetLedger(), clock, warnings::add);
    }

    @Test
    void aCallCountsOnGlobalTenantAgentAndRunInThatOrder() {
        List<ScopedLimit> scopes = enforcer(ExecutionLimits.none()).scopesOf("a", "acme", "run-1");

        assertThat(scopes).extracting(ScopedLimit::scope).containsExactly(LimitScope.global(), LimitScope.tenant("acme"),
                LimitScope.agent("a"), LimitScope.workflow("run-1"));
    }

    @Test
    void aMoneyLimitOnAnyScopeCounts() {
        LimitEnforcer enforcer = enforcer(ExecutionLimits.builder().perWorkflowMaxBudget(new BigDecimal("1")).build());

        assertThat(LimitEnforcer.underMoneyLimit(enforcer.scopesOf("a", null, "run-1"))).isTrue();
        assertThat(LimitEnforcer.underMoneyLimit(enforcer.scopesOf("a", null, null))).isFalse();
    }

    @Test
    void theRunClockStartsAtTheFirstReservationAndTheTimeLimitRefusesAfterIt() {
        LimitEnforcer enforcer = enforcer(ExecutionLimits.builder().maxTime(Duration.ofSeconds(10)).build());
        enforcer.release(enforcer.reserve("a", enforcer.scopesOf("a", null, null), BigDecimal.ZERO));

        clock.advance(Duration.ofSeconds(11));

        assertThatThrownBy(() -> enforcer.reserve("a", enforcer.scopesOf("a", null, null), BigDecimal.ZERO))
                .isInstanceOf(TimeLimitExceededException.class);
    }

    @Test
    void aWarningFiresOnceWhenACommitReachesTheThreshold() {
        LimitEnforcer enforcer = enforcer(ExecutionLimits.builder().maxSteps(2).warningThreshold(0.5).build());
        for (int i = 0; i < 2; i++) {
            Reservation reservation = enforcer.reserve("a", enforcer.scopesOf("a", null, null), BigDecimal.ZERO);
            enforcer.checkWarnings(enforcer.commit(reservation, BigDecimal.ZERO, 1, 1));
        }

        assertThat(warnings).singleElement().satisfies(warning -> assertThat(warning.kind()).isEqualTo(LimitKind.STEPS));
    }

    @Test
    void refusalsNameTheScopeOfTheLimit() {
        assertThat(LimitEnforcer.refusedBy(LimitScope.global())).isEqualTo("global");
        assertThat(LimitEnforcer.refusedBy(LimitScope.tenant("acme"))).isEqualTo("tenant:acme");
    }
}
