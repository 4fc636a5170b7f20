package dev.agentgateway.core.limits;

/** The call would exceed a step limit. {@link #current()} counts committed and in-flight steps. */
public class StepLimitExceededException extends ExecutionLimitException {

    private final long current;
    private final long limit;

    public StepLimitExceededException(LimitScope scope, String agentId, long current, long limit) {
        super("Step limit exceeded for " + scope + ": " + current + " of " + limit + " steps used (agent '" + agentId + "')",
                LimitKind.STEPS, scope, agentId);
        this.current = current;
        this.limit = limit;
    }

    @Override
    public Long current() {
        return current;
    }

    @Override
    public Long limit() {
        return limit;
    }
}
