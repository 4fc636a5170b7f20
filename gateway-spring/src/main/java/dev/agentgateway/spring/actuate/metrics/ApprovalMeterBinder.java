package dev.agentgateway.spring.actuate.metrics;

import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalListener;
import dev.agentgateway.core.approval.Approvals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;

/**
 * Approval meters: {@code agent_gateway.approvals.pending} (a gauge read from the store when the
 * registry is scraped, so every instance reports the shared figure: alert on it to page an
 * operator), and the counters {@code agent_gateway.approvals.requested} and
 * {@code agent_gateway.approvals.decided} of this instance.
 */
public class ApprovalMeterBinder implements MeterBinder {

    private final Approvals approvals;

    public ApprovalMeterBinder(Approvals approvals) {
        this.approvals = approvals;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(GatewayMeterNames.APPROVALS_PENDING, approvals, a -> a.store().countPending())
                .description("Approvals waiting for a decision")
                .register(registry);
        approvals.addListener(new ApprovalListener() {
            @Override
            public void onRequested(Approval approval) {
                Counter.builder(GatewayMeterNames.APPROVALS_REQUESTED)
                        .description("Approvals requested")
                        .tag(GatewayMeterNames.TOOL_NAME, approval.request().toolName())
                        .register(registry).increment();
            }

            @Override
            public void onDecided(Approval approval) {
                Counter.builder(GatewayMeterNames.APPROVALS_DECIDED)
                        .description("Approvals decided, or rejected by their time-out")
                        .tag(GatewayMeterNames.TOOL_NAME, approval.request().toolName())
                        .tag("verdict", approval.decision().verdict().name().toLowerCase(Locale.ROOT))
                        .register(registry).increment();
            }
        });
    }
}
