package dev.agentgateway.core.provider;

/**
 * Decides how the attempts of one call are made: retries, circuit breaking, fallbacks. The
 * gateway makes each attempt itself (reservation, hooks, provider call, history record), so every
 * attempt is governed by the limits and visible in the history, and a failed attempt gives its
 * reservation back before the next one is made.
 *
 * <p>Generic in what an attempt yields, as Resilience4j's decorators are: the strategy hands the
 * attempt's result back unchanged, whatever the gateway needs from it (a settled call, an opened
 * stream), so nothing has to be smuggled out of the attempt on the side.
 */
public interface CallStrategy {

    /**
     * @param primary the provider and model the call asked for (attempt 1)
     * @param attempt makes one attempt; throws {@link ProviderException} when the provider fails
     *                and a limit exception when the limits refuse the attempt
     * @return what the successful attempt returned
     */
    <T> T execute(CallTarget primary, Attempt<T> attempt);

    /** One governed attempt at a target. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(CallTarget target);
    }

    /** One attempt, no retry: the default. */
    static CallStrategy direct() {
        return Direct.INSTANCE;
    }

    /** The default strategy: an enum, so it is one shared instance with no per-call lambda. */
    enum Direct implements CallStrategy {
        INSTANCE;

        @Override
        public <T> T execute(CallTarget primary, Attempt<T> attempt) {
            return attempt.run(primary);
        }
    }
}
