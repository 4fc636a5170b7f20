package dev.agentgateway.core.history;

import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One call, successful, failed or refused: the seed's {@code CallRecord} plus the scope it ran in.
 * Made with {@link #success}, {@link #failure} and {@link #refused}; the canonical constructor is
 * for stores that read records back.
 *
 * @param response  the answer, or {@code null} when the provider failed or never saw the call
 * @param error     what went wrong, or {@code null}
 * @param errorType the simple name of the exception, or {@code null}
 * @param cost      USD charged for the call (zero when it failed or was refused)
 * @param priced    false when the model had no price, so {@code cost} is zero for want of one
 * @param attempt   1 for the first attempt; higher for retries and fallbacks
 * @param refusedBy what refused the call, or {@code null} when nothing did: {@code <kind>} or
 *                  {@code <kind>:<detail>}, the kind one of {@code global}, {@code agent},
 *                  {@code workflow}, {@code tenant} (a limit of that scope; the detail is its id),
 *                  {@code kill-switch}, {@code pause} (a paused agent), {@code tool-access} (an
 *                  offered tool the agent may not use), {@code provider} (no such provider),
 *                  {@code unpriced} (a model without a price under a money limit; the detail is the model),
 *                  {@code hook} (a before-call hook's veto; the detail is its class) or {@code loop}
 *                  (the call ran, and loop detection stopped the run after it)
 * @param overrun   USD the call cost beyond its reservation (zero when it kept within it): its client
 *                  ignored the request's max tokens, or its provider reported more than the cap
 */
public record CallRecord(String callId, String agentId, String provider, String model, LlmRequest request,
                         LlmResponse response, String error, Instant timestamp, boolean success, BigDecimal cost,
                         double latencyMs, String workflowId, Integer step, String tenant, String errorType,
                         boolean priced, int attempt, String refusedBy, BigDecimal overrun) {

    public CallRecord {
        overrun = overrun == null ? BigDecimal.ZERO : overrun;
    }

    /** A record without an over-run, as stores that do not keep one read it back. */
    public CallRecord(String callId, String agentId, String provider, String model, LlmRequest request,
                      LlmResponse response, String error, Instant timestamp, boolean success, BigDecimal cost,
                      double latencyMs, String workflowId, Integer step, String tenant, String errorType,
                      boolean priced, int attempt, String refusedBy) {
        this(callId, agentId, provider, model, request, response, error, timestamp, success, cost, latencyMs, workflowId,
                step, tenant, errorType, priced, attempt, refusedBy, BigDecimal.ZERO);
    }

    /**
     * What every record of a call has, whatever its outcome: who made it, where, what it asked.
     *
     * @param step    the call's step in its workflow run, or {@code null}
     * @param attempt 1 for the first attempt; higher for retries and fallbacks
     */
    public record Origin(String callId, String agentId, LlmRequest request, Instant timestamp, String workflowId,
                         Integer step, String tenant, int attempt) {

        public Origin {
            Objects.requireNonNull(request, "request");
        }
    }

    /** A call the provider answered within its reservation; cost and model are the response's. */
    public static CallRecord success(Origin origin, LlmResponse response, boolean priced, double latencyMs) {
        return success(origin, response, priced, latencyMs, BigDecimal.ZERO);
    }

    /**
     * A call the provider answered; cost and model are the response's.
     *
     * @param overrun USD it cost beyond its reservation (zero when it kept within it)
     */
    public static CallRecord success(Origin origin, LlmResponse response, boolean priced, double latencyMs,
                                     BigDecimal overrun) {
        return new CallRecord(origin.callId(), origin.agentId(), origin.request().provider(),
                response.model() != null ? response.model() : origin.request().model(), origin.request(), response, null,
                origin.timestamp(), true, response.cost() == null ? BigDecimal.ZERO : response.cost(), latencyMs,
                origin.workflowId(), origin.step(), origin.tenant(), null, priced, origin.attempt(), null, overrun);
    }

    /**
     * A call that reached the provider (or its hooks) and failed.
     *
     * @param message what went wrong, already free of secrets
     */
    public static CallRecord failure(Origin origin, String message, Throwable error, double latencyMs) {
        return new CallRecord(origin.callId(), origin.agentId(), origin.request().provider(), origin.request().model(),
                origin.request(), null, message, origin.timestamp(), false, BigDecimal.ZERO, latencyMs, origin.workflowId(),
                origin.step(), origin.tenant(), typeOf(error), true, origin.attempt(), null);
    }

    /**
     * A call refused before the provider saw it: nothing spent, nothing answered.
     *
     * @param message why, already free of secrets
     */
    public static CallRecord refused(Origin origin, String message, Throwable refusal, String refusedBy) {
        return new CallRecord(origin.callId(), origin.agentId(), origin.request().provider(), origin.request().model(),
                origin.request(), null, message, origin.timestamp(), false, BigDecimal.ZERO, 0.0,
                origin.workflowId(), origin.step(), origin.tenant(), typeOf(refusal), true, origin.attempt(),
                Objects.requireNonNull(refusedBy, "refusedBy"));
    }

    /**
     * This call, answered and paid for, marked failed because {@code refusedBy} stopped its run
     * after it (loop detection): the response and the cost stay.
     */
    public CallRecord refusedAfter(Throwable refusal, String refusedBy) {
        return new CallRecord(callId, agentId, provider, model, request, response, refusal.getMessage(), timestamp, false,
                cost, latencyMs, workflowId, step, tenant, typeOf(refusal), priced, attempt,
                Objects.requireNonNull(refusedBy, "refusedBy"), overrun);
    }

    /**
     * This call, charged for what its stream sent and received, marked failed because the stream
     * ended before the provider finished it: the provider failed half way, the subscriber cancelled,
     * or the gateway cut it off ({@code refusedBy} says what cut it; {@code null} otherwise). The
     * partial response and its cost stay.
     *
     * @param message what happened, already free of secrets
     */
    public CallRecord endedEarly(Throwable error, String message, String refusedBy) {
        return new CallRecord(callId, agentId, provider, model, request, response, message, timestamp, false, cost,
                latencyMs, workflowId, step, tenant, typeOf(error), priced, attempt, refusedBy, overrun);
    }

    /** Whether something refused the call (it then never reached the provider, unless refused after it by loop detection). */
    public boolean refused() {
        return refusedBy != null;
    }

    /** True when the call cost more than the gateway reserved for it. */
    public boolean exceededReservation() {
        return overrun.signum() > 0;
    }

    public long inputTokens() {
        return response == null ? 0 : response.inputTokens();
    }

    public long outputTokens() {
        return response == null ? 0 : response.outputTokens();
    }

    private static String typeOf(Throwable error) {
        return error == null ? null : error.getClass().getSimpleName();
    }
}
