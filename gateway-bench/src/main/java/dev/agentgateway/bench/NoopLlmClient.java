package dev.agentgateway.bench;

import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;

import java.util.List;

/**
 * A model that answers at once with a response built in advance: what is left of a call when the
 * model costs nothing, so whatever a benchmark measures on top of {@link #complete} is framework.
 *
 * <p>It answers {@link Fixtures#PROMPT_A} with {@link #ANSWER_A} and anything else with
 * {@link #ANSWER_B}. Benchmarks alternate the two prompts, so the gateway's loop detection sees
 * a run whose output changes (a model that said the same thing three times in a row would be,
 * rightly, stopped as a loop). The choice is a reference comparison: it costs nothing, holds no
 * state and is the same on every thread.
 */
public final class NoopLlmClient implements LlmClient {

    public static final String ANSWER_A = "Paris is the capital of France.";
    public static final String ANSWER_B = "Berlin is the capital of Germany.";

    private static final LlmResponse RESPONSE_A = LlmResponse.text(ANSWER_A, 12, 8);
    private static final LlmResponse RESPONSE_B = LlmResponse.text(ANSWER_B, 12, 8);

    @Override
    public LlmResponse complete(LlmRequest request) {
        List<LlmMessage> messages = request.messages();
        return messages.get(messages.size() - 1).content() == Fixtures.PROMPT_A ? RESPONSE_A : RESPONSE_B;
    }
}
