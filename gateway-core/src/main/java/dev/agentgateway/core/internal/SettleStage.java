package dev.agentgateway.core.internal;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ReservationOverrun;
import dev.agentgateway.core.provider.CostModel;
import dev.agentgateway.core.provider.LlmResponse;
import org.slf4j.Logger;

import java.math.BigDecimal;

/**
 * Attempt step 4, settle: the answer priced (the client's cost, else the price table's, else 0
 * and flagged unpriced), its actual cost committed on every scope even past the reservation (an
 * over-run is logged and told to the listeners, never hidden), warnings checked, the attempt's
 * span ended. Takes the final usage, so a stream settles here once its last chunk arrived.
 */
public final class SettleStage {

    private static final Logger log = GatewayLog.LOG;

    private final CostModel costs;
    private final LimitEnforcer limits;
    private final Events events;

    public SettleStage(CostModel costs, LimitEnforcer limits, Events events) {
        this.costs = costs;
        this.limits = limits;
        this.events = events;
    }

    /** @return the success record, kept on {@code prepared} as well */
    public CallRecord settle(PreparedCall prepared, LlmResponse raw) {
        return settle(prepared, raw, null);
    }

    /**
     * Settles an answer that may have ended early (a stream failed half way, cancelled or cut off):
     * charged as any answer, its span ended with {@code ended} so a trace does not show it succeeded.
     *
     * @param ended why the answer ended early, or {@code null} when it is whole
     */
    public CallRecord settle(PreparedCall prepared, LlmResponse raw, Throwable ended) {
        double latencyMs = prepared.elapsedMillis();
        String model = raw.model() != null ? raw.model() : prepared.target().model();
        BigDecimal cost = costs.actualCost(model, raw);
        boolean priced = cost != null;
        if (!priced) {
            cost = BigDecimal.ZERO;
        }
        LlmResponse response = new LlmResponse(raw.content(), raw.toolCalls(), raw.inputTokens(), raw.outputTokens(), cost,
                model, prepared.providerId(), (long) latencyMs, raw.finishReason(), raw.tokenDetails());
        limits.checkWarnings(prepared.commit(cost, raw.inputTokens(), raw.outputTokens()));
        BigDecimal overrun = overrun(prepared, model, cost);
        prepared.span().end(ended);
        CallRecord success = CallRecord.success(prepared.origin(), response, priced, latencyMs, overrun);
        prepared.succeeded(success);
        return success;
    }

    /** How much the call cost beyond its reservation (zero when it kept within it); an over-run is reported. */
    private BigDecimal overrun(PreparedCall prepared, String model, BigDecimal cost) {
        Reservation reservation = prepared.reservation();
        if (cost.compareTo(reservation.amount()) <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal overrun = cost.subtract(reservation.amount());
        String callId = prepared.origin().callId();
        String agentId = prepared.call().agentId();
        ReservationOverrun event = new ReservationOverrun(callId, agentId, prepared.providerId(), model, reservation.amount(), cost);
        log.warn("Call {} of agent '{}' to {}/{} cost {} USD, {} more than its reservation of {}: the client did not keep "
                + "to the request's max tokens", callId, agentId, prepared.providerId(), model, cost.toPlainString(),
                overrun.toPlainString(), reservation.amount().toPlainString());
        events.reservationOverrun(event);
        return overrun;
    }
}
