package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ProviderRegistry;
import org.slf4j.Logger;

import java.time.Clock;

/**
 * How a refused call ends: a failed call counted on each of its scopes, one refused record in the
 * history (free of secrets) and one log line; the refusal is then thrown to the caller as it is.
 */
public final class Refusals {

    private static final Logger log = GatewayLog.LOG;

    private final LimitEnforcer limits;
    private final Events events;
    private final ProviderRegistry providers;
    private final CallIds callIds;
    private final Clock clock;

    public Refusals(LimitEnforcer limits, Events events, ProviderRegistry providers, CallIds callIds, Clock clock) {
        this.limits = limits;
        this.events = events;
        this.providers = providers;
        this.callIds = callIds;
        this.clock = clock;
    }

    /**
     * A call refused before it held a reservation: counted as a failed call on its scopes and
     * recorded with the request as the call would have sent it.
     *
     * @return {@code refusal}, for the caller to throw
     */
    public RuntimeException refuse(GatewayCall call, String providerId, String model, int attempt, RuntimeException refusal,
                                   String refusedBy) {
        limits.countFailedCall(call.agentId(), call.tenant(), call.workflowId());
        LlmRequest request = new LlmRequest(providerId, model, call.messages(), call.tools(), call.temperature(), call.maxTokens());
        CallRecord.Origin origin = new CallRecord.Origin(callIds.next(), call.agentId(), request, clock.instant(),
                call.workflowId(), call.step(), call.tenant(), attempt);
        return record(origin, refusal.getMessage(), refusal, refusedBy);
    }

    /** A refusal of a call that held a reservation (given back by the caller): recorded, not counted again. */
    public RuntimeException record(CallRecord.Origin origin, String message, RuntimeException refusal, String refusedBy) {
        record(CallRecord.refused(origin, providers.redactor().redact(String.valueOf(message)), refusal, refusedBy));
        return refusal;
    }

    /** Records and logs a record already marked refused. */
    public void record(CallRecord refused) {
        log(refused);
        events.record(refused);
    }

    /** A failure's message for the record, free of secrets. */
    public String describe(Throwable failure) {
        return providers.redactor().redact(failure.getMessage() != null ? failure.getMessage() : failure.toString());
    }

    /** One line per refusal; an operator's own stop or pause is expected, anything else is worth a warning. */
    private static void log(CallRecord record) {
        String line = "Refused call {} of agent '{}' (run '{}') by {}: {}";
        Object[] values = {record.callId(), record.agentId(), record.workflowId() == null ? "-" : record.workflowId(),
                record.refusedBy(), record.error()};
        if (record.refusedBy().equals("kill-switch") || record.refusedBy().startsWith("pause:")) {
            log.info(line, values);
        } else {
            log.warn(line, values);
        }
    }
}
