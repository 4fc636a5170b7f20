package dev.agentgateway.core.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.loop.LoopDetector;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopCheckStageTest {

    private final Parts parts = new Parts();
    private final SettleStage settle = new SettleStage(parts.costs, parts.limits, parts.events);

    private CallRecord answered(String content) {
        PreparedCall prepared = parts.prepared(TestClients.echo("0.1"));
        prepared.start(ExecutionObserver.NOOP);
        return settle.settle(prepared, LlmResponse.text(content, 1, 1).withCost(new BigDecimal("0.1")));
    }

    @Test
    void aRepeatedAnswerStopsTheRunAndIsRecordedAsRefusedAfterItWasPaidFor() {
        LoopDetector detector = LoopDetector.windowed(LoopDetectionConfig.builder().maxRepeatedOutputs(2).build(), 10);
        LoopCheckStage stage = new LoopCheckStage(detector, parts.limits, parts.events, parts.refusals);
        stage.check(Parts.call(), answered("same"));

        assertThatThrownBy(() -> stage.check(Parts.call(), answered("same"))).isInstanceOf(LoopDetectedException.class);
        assertThat(parts.records()).singleElement().satisfies(record -> {
            assertThat(record.refusedBy()).isEqualTo("loop:identical_output");
            assertThat(record.cost()).isEqualByComparingTo("0.1");
        });
        assertThat(parts.heard).contains("loop");
        assertThat(parts.global().failedCalls()).isEqualTo(1);
    }

    @Test
    void withoutADetectorEveryAnswerPasses() {
        LoopCheckStage stage = new LoopCheckStage(null, parts.limits, parts.events, parts.refusals);

        assertThatNoException().isThrownBy(() -> {
            stage.check(Parts.call(), answered("same"));
            stage.check(Parts.call(), answered("same"));
        });
    }
}
