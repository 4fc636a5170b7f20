package dev.agentgateway.autoconfigure.tool;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.InMemoryBudgetLedger;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolCallOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** agent-gateway.tools.* limits: bound as written (patterns too), checked at start-up. */
class ToolLimitsConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class));

    @Test
    void aPatternKeysCallsPerRunReachTheGateway() {
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(request -> request.lastMessage().role() == LlmMessage.Role.TOOL, ScriptedTurn.text("done"))
                .otherwise(ScriptedTurn.toolCall("github_a", "{}").andToolCall("github_b", "{}")).build();
        AtomicInteger ran = new AtomicInteger();
        runner.withBean("scripted", ScriptedLlmClient.class, () -> model)
                .withPropertyValues("agent-gateway.tools.[github_*].max-calls-per-run=1").run(context -> {
                    Gateway gateway = context.getBean(Gateway.class);
                    gateway.callWithTools(GatewayCall.builder().agentId("a").provider("scripted").model("gpt-4o-mini").user("go")
                            .tools(List.of(ToolSpec.of("github_a", "a", Map.of("type", "object")),
                                    ToolSpec.of("github_b", "b", Map.of("type", "object")))).build(),
                            (name, args) -> ran.incrementAndGet());
                    assertThat(ran).hasValue(1);
                    assertThat(gateway.getToolCallHistory("a", null)).extracting(r -> r.outcome())
                            .containsExactlyInAnyOrder(ToolCallOutcome.SUCCESS, ToolCallOutcome.LIMIT_REACHED);
                });
    }

    @Test
    void exemptFromStepsWithoutCallsPerRunStopsStartUp() {
        runner.withPropertyValues("agent-gateway.tools.job_status.exempt-from-steps=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("exempt-from-steps needs max-calls-per-run");
        });
    }

    @Test
    void aCostPerCallOnALedgerThatCannotHoldItStopsStartUpNamingThePropertyAndTheFix() {
        runner.withBean(BudgetLedger.class, StepsOnlyLedger::new)
                .withPropertyValues("agent-gateway.tools.web_search.cost-per-call=0.005").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("agent-gateway.tools.web_search.cost-per-call needs a budget ledger")
                            .hasMessageContaining("agent-gateway.persistence.enabled=false");
                });
    }

    @Test
    void aCostPerCallOnTheInMemoryLedgerStartsAndIsCharged() {
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(request -> request.lastMessage().role() == LlmMessage.Role.TOOL, ScriptedTurn.text("done"))
                .otherwise(ScriptedTurn.toolCall("web_search", "{}")).build();
        runner.withBean("scripted", ScriptedLlmClient.class, () -> model)
                .withPropertyValues("agent-gateway.tools.web_search.cost-per-call=0.005").run(context -> {
                    Gateway gateway = context.getBean(Gateway.class);
                    var answer = gateway.callWithTools(GatewayCall.builder().agentId("a").provider("scripted").model("gpt-4o-mini")
                            .user("go").tools(List.of(ToolSpec.of("web_search", "s", Map.of("type", "object")))).build(),
                            (name, args) -> "hits");
                    assertThat(answer.runTotals().toolCost()).isEqualByComparingTo("0.005");
                });
    }

    /** A ledger that holds only model calls' reservations (one step each), as the JPA ledger does today. */
    static final class StepsOnlyLedger implements BudgetLedger {
        private final InMemoryBudgetLedger delegate = new InMemoryBudgetLedger();

        @Override
        public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
            return delegate.reserve(agentId, scopes, estimate);
        }

        @Override
        public List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long in, long out) {
            return delegate.commit(reservation, actualCost, in, out);
        }

        @Override
        public void release(Reservation reservation, boolean countAsFailure) {
            delegate.release(reservation, countAsFailure);
        }

        @Override
        public void countFailedCall(List<LimitScope> scopes) {
            delegate.countFailedCall(scopes);
        }

        @Override
        public ScopeUsage usage(LimitScope scope) {
            return delegate.usage(scope);
        }

        @Override
        public List<ScopeUsage> usages(LimitScope.Type type) {
            return delegate.usages(type);
        }

        @Override
        public void forget(LimitScope scope) {
            delegate.forget(scope);
        }

        @Override
        public void reset() {
            delegate.reset();
        }
    }
}
