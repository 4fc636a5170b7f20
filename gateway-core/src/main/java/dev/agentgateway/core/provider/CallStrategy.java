package dev.agentgateway.core.provider;

/**
 * Decides how the attempts of one call are made: retries, circuit breaking, fallbacks. The
 * gateway makes each attempt itself (reservation, hooks, provider call, history record), so every
 * attempt is governed by the limits and visible in the history, and a failed attempt gives its
 * reservation back before the next one is made.
 */
@FunctionalInterface
public interface CallStrategy {

    /**
     * @param primary the provider and model the call asked for (attempt 1)
     * @param attempt makes one attempt; throws {@link ProviderException} when the provider fails
     *                and a limit exception when the limits refuse the attempt
     */
    LlmResponse execute(CallTarget primary, Attempt attempt);

    /** One governed attempt at a target. */
    @FunctionalInterface
    interface Attempt {
        LlmResponse run(CallTarget target);
    }

    /** One attempt, no retry: the default. */
    static CallStrategy direct() {
        return (primary, attempt) -> attempt.run(primary);
    }
}
