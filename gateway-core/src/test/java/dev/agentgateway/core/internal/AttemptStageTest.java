package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptStageTest {

    private final Parts parts = new Parts();
    private final AttemptStage stage = new AttemptStage(parts.reserveStage(), new BeforeHooksStage(List.of(), parts.refusals),
            new ProviderStage(parts.providers), new SettleStage(parts.costs, parts.limits, parts.events), ExecutionObserver.NOOP,
            parts.events, parts.refusals);

    private PreparedCall attempt(LlmClient client) {
        return stage.run(Parts.call(), new CallTarget("a", "p", "gpt-4o", 1), client, ExecutionObserver.Span.NOOP);
    }

    @Test
    void aSuccessfulAttemptIsSettledButNotYetRecorded() {
        PreparedCall settled = attempt(TestClients.echo("0.1"));

        assertThat(settled.record().success()).isTrue();
        assertThat(parts.global().committedSteps()).isEqualTo(1);
        assertThat(parts.records()).isEmpty(); // the pipeline records it after the loop check
    }

    @Test
    void aFailedAttemptGivesItsReservationBackAndIsRecordedOnce() {
        ProviderServerException down = new ProviderServerException("p", 500, "down", null);

        assertThatThrownBy(() -> attempt(TestClients.failing(down, "0.1"))).isSameAs(down);
        assertThat(parts.global().reservedSteps()).isZero();
        assertThat(parts.global().failedCalls()).isEqualTo(1);
        assertThat(parts.records()).extracting(CallRecord::success, CallRecord::errorType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, "ProviderServerException"));
    }

    @Test
    void anErrorFromTheClientAlsoSettlesTheReservationAndPassesAsItIs() {
        StackOverflowError error = new StackOverflowError("deep");
        LlmClient throwing = request -> {
            throw error;
        };

        assertThatThrownBy(() -> attempt(throwing)).isSameAs(error);
        assertThat(parts.global().reservedSteps()).isZero();
        assertThat(parts.records()).singleElement().extracting(CallRecord::errorType).isEqualTo("StackOverflowError");
    }

    @Test
    void anOpenedAttemptHoldsItsReservationUntilItIsSettledOrFailed() {
        PreparedCall open = stage.open(Parts.call(), new CallTarget("a", "p", "gpt-4o", 1), TestClients.echo("0.1"),
                ExecutionObserver.Span.NOOP);
        assertThat(parts.global().reservedSteps()).isEqualTo(1);

        stage.fail(open, new IllegalStateException("stream broke"));
        stage.fail(open, new IllegalStateException("cancelled as well"));

        assertThat(parts.global().reservedSteps()).isZero();
        assertThat(parts.global().failedCalls()).isEqualTo(1);
        assertThat(parts.records()).singleElement().extracting(CallRecord::error).isEqualTo("stream broke");
    }
}
