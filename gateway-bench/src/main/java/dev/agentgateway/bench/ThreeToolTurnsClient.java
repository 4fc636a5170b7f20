package dev.agentgateway.bench;

import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;

import java.util.List;

/**
 * A no-op model that plays a three-tool-turn conversation: it asks for {@code get_weather}, then
 * {@code get_time}, then {@code convert}, then answers in text. It decides the turn from the
 * number of tool results already in the conversation, so it is stateless and thread-safe, and
 * every response is built in advance.
 *
 * <p>Not {@code ScriptedLlmClient} from gateway-core: that client keeps every request it ever
 * received (for tests to inspect), which a benchmark of millions of calls must not measure.
 * The three tools and their arguments differ, so loop detection's "same tool, same arguments"
 * rule is not tripped.
 */
public final class ThreeToolTurnsClient implements LlmClient {

    public static final int TOOL_TURNS = 3;

    private static final LlmResponse[] TURNS = {
            LlmResponse.toolCalls(List.of(ToolCall.of("call_1", "get_weather", "{\"city\":\"Paris\"}")), 40, 12),
            LlmResponse.toolCalls(List.of(ToolCall.of("call_2", "get_time", "{\"zone\":\"Europe/Paris\"}")), 60, 12),
            LlmResponse.toolCalls(List.of(ToolCall.of("call_3", "convert", "{\"amount\":21.5,\"unit\":\"C\"}")), 80, 12),
            LlmResponse.text("It is 21.5 °C (70.7 °F) and 14:00 in Paris.", 100, 16),
    };

    @Override
    public LlmResponse complete(LlmRequest request) {
        int toolResults = 0;
        for (LlmMessage message : request.messages()) {
            if (message.role() == LlmMessage.Role.TOOL) {
                toolResults++;
            }
        }
        return TURNS[Math.min(toolResults, TOOL_TURNS)];
    }
}
