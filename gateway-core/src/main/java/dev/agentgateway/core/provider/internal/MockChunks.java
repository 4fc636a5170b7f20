package dev.agentgateway.core.provider.internal;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.MockStream;
import dev.agentgateway.core.provider.TokenDetails;
import dev.agentgateway.core.provider.ToolCall;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks an offline client streams for an answer, in the order OpenAI sends them: the model,
 * the text in pieces, each tool call (id and name with its first piece of arguments), the finish
 * reason, the usage.
 */
public final class MockChunks {

    private MockChunks() {
    }

    public static List<LlmChunk> of(String model, String text, List<ToolCall> toolCalls, long inputTokens, long outputTokens,
                                    BigDecimal cost, MockStream shape) {
        List<LlmChunk> chunks = new ArrayList<>();
        if (model != null) {
            chunks.add(LlmChunk.model(model));
        }
        for (String piece : pieces(text, shape.chunkChars())) {
            chunks.add(LlmChunk.text(piece));
        }
        for (int index = 0; index < toolCalls.size(); index++) {
            ToolCall call = toolCalls.get(index);
            List<String> arguments = pieces(call.arguments(), shape.chunkChars());
            chunks.add(LlmChunk.toolCall(index, call.id(), call.name(), arguments.isEmpty() ? "" : arguments.get(0)));
            for (int piece = 1; piece < arguments.size(); piece++) {
                chunks.add(LlmChunk.toolArguments(index, arguments.get(piece)));
            }
        }
        chunks.add(LlmChunk.finish(toolCalls.isEmpty() ? "stop" : "tool_calls"));
        if (shape.usage()) {
            chunks.add(new LlmChunk.Usage(inputTokens, outputTokens, TokenDetails.NONE, cost));
        }
        return chunks;
    }

    /** {@code text} in pieces of {@code size} code points, so that no piece splits a surrogate pair. */
    static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return pieces;
        }
        int start = 0;
        while (start < text.length()) {
            int end = start;
            for (int taken = 0; taken < size && end < text.length(); taken++) {
                end = text.offsetByCodePoints(end, 1);
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
