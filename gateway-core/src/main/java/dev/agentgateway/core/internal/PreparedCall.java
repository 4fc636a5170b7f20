package dev.agentgateway.core.internal;

import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;

import java.math.BigDecimal;
import java.util.List;

/**
 * One attempt between its reservation and its settlement: what {@link ReserveStage} prepared
 * (client, request, reservation, record origin), and whether it has been settled. It is the seam
 * between the provider step and the settle step: a blocking call settles it right after the
 * provider answers; a stream holds it until its last chunk, then settles it with the final usage,
 * or fails it when the stream breaks. The reservation is settled exactly once either way:
 * {@link #commit committed} or {@link #release released}, never both.
 *
 * <p>Used by one thread at a time; a stream that settles on another thread hands it over with a
 * happens-before edge (a subscriber's signals are sequential).
 */
public final class PreparedCall {

    private final GatewayCall call;
    private final CallTarget target;
    private final String providerId;
    private final LlmClient client;
    private final Reservation reservation;
    private final CallRecord.Origin origin;
    private final CallContext context;
    private final ExecutionObserver.Span parent;
    private final LimitEnforcer limits;
    private ExecutionObserver.Span span = ExecutionObserver.Span.NOOP;
    private long startedNanos;
    private boolean settled;
    private boolean recorded;
    private CallRecord record;

    PreparedCall(GatewayCall call, CallTarget target, String providerId, LlmClient client, Reservation reservation,
                 CallRecord.Origin origin, CallContext context, ExecutionObserver.Span parent, LimitEnforcer limits) {
        this.call = call;
        this.target = target;
        this.providerId = providerId;
        this.client = client;
        this.reservation = reservation;
        this.origin = origin;
        this.context = context;
        this.parent = parent;
        this.limits = limits;
    }

    public GatewayCall call() {
        return call;
    }

    public CallTarget target() {
        return target;
    }

    public String providerId() {
        return providerId;
    }

    public LlmClient client() {
        return client;
    }

    public LlmRequest request() {
        return origin.request();
    }

    public Reservation reservation() {
        return reservation;
    }

    public CallRecord.Origin origin() {
        return origin;
    }

    public CallContext context() {
        return context;
    }

    /** Starts the attempt's span under the run's; the latency of the record counts from here. */
    void start(ExecutionObserver observer) {
        startedNanos = System.nanoTime();
        span = observer.callStarted(context, parent);
    }

    ExecutionObserver.Span span() {
        return span;
    }

    double elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1e6;
    }

    /** Commits the actual cost; the reservation counts as settled once the ledger took it. */
    List<ScopeUsage> commit(BigDecimal cost, long inputTokens, long outputTokens) {
        List<ScopeUsage> after = limits.commit(reservation, cost, inputTokens, outputTokens);
        settled = true;
        return after;
    }

    /** Gives the reservation back as a failed call, unless the attempt was already settled. */
    public void release() {
        if (!settled) {
            settled = true;
            limits.release(reservation);
        }
    }

    /** The attempt's outcome is in the history already (a hook's veto): its failure is not recorded again. */
    void markRecorded() {
        recorded = true;
    }

    boolean recorded() {
        return recorded;
    }

    void succeeded(CallRecord success) {
        this.record = success;
    }

    /** The success record once settled; {@code null} before. */
    public CallRecord record() {
        return record;
    }
}
