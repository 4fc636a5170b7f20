package dev.agentgateway.core.limits;

import java.math.BigDecimal;

/**
 * A call cost more than its reservation: its client ignored the request's max tokens, or its
 * provider reported more than the cap. The actual cost was committed; until the over-run is
 * spent, a scope's committed spend can pass its limit by at most the sum of such over-runs.
 */
public record ReservationOverrun(String callId, String agentId, String provider, String model, BigDecimal reserved,
                                 BigDecimal actual) {

    /** USD spent beyond the reservation. */
    public BigDecimal amount() {
        return actual.subtract(reserved);
    }
}
