package dev.agentgateway.core.limits;

/** The gateway has run longer than its time limit. Values are in seconds. */
public class TimeLimitExceededException extends ExecutionLimitException {

    private final double elapsedSeconds;
    private final double limitSeconds;

    public TimeLimitExceededException(String agentId, double elapsedSeconds, double limitSeconds) {
        super(String.format(java.util.Locale.ROOT, "Time limit exceeded: %.3f s elapsed, limit %.3f s (agent '%s')",
                elapsedSeconds, limitSeconds, agentId), LimitKind.TIME, LimitScope.global(), agentId);
        this.elapsedSeconds = elapsedSeconds;
        this.limitSeconds = limitSeconds;
    }

    @Override
    public Double current() {
        return elapsedSeconds;
    }

    @Override
    public Double limit() {
        return limitSeconds;
    }
}
