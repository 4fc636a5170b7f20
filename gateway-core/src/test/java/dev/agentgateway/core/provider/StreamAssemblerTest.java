package dev.agentgateway.core.provider;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamAssemblerTest {

    private static final LlmRequest REQUEST = new LlmRequest("openai", "gpt-4o", List.of(LlmMessage.user("Hello there")),
            List.of(), null, 100);
    private static final TokenCounter TOKENS = TokenCounter.standard();

    private static StreamAssembler fed(LlmChunk... chunks) {
        StreamAssembler assembler = new StreamAssembler(REQUEST);
        for (LlmChunk chunk : chunks) {
            assembler.accept(chunk);
        }
        return assembler;
    }

    @Test
    void textDeltasAreConcatenatedInOrder() {
        LlmResponse response = fed(LlmChunk.text("Hel"), LlmChunk.text("lo, "), LlmChunk.text("world"),
                LlmChunk.finish("stop"), LlmChunk.usage(9, 3)).response(12, TOKENS);

        assertThat(response.content()).isEqualTo("Hello, world");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.inputTokens()).isEqualTo(9);
        assertThat(response.outputTokens()).isEqualTo(3);
        assertThat(response.latencyMs()).isEqualTo(12);
        assertThat(response.provider()).isEqualTo("openai");
    }

    @Test
    void toolCallsAreAssembledFromTheirPiecesByIndexEvenWhenInterleaved() {
        LlmResponse response = fed(
                LlmChunk.toolCall(0, "call_a", "weather", "{\"ci"),
                LlmChunk.toolCall(1, "call_b", "time", ""),
                LlmChunk.toolArguments(0, "ty\":\"Oslo\"}"),
                LlmChunk.toolArguments(1, "{\"zone\":\"CET\"}"),
                LlmChunk.finish("tool_calls")).response(0, TOKENS);

        assertThat(response.toolCalls()).containsExactly(
                ToolCall.of("call_a", "weather", "{\"city\":\"Oslo\"}"),
                ToolCall.of("call_b", "time", "{\"zone\":\"CET\"}"));
        assertThat(response.content()).isNull();
        assertThat(response.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void aToolCallWithoutAnIdGetsOneSoThatItsResultCanNameIt() {
        LlmResponse response = fed(LlmChunk.toolCall(0, null, "weather", "{}"), LlmChunk.finish("stop")).response(0, TOKENS);

        assertThat(response.toolCalls()).singleElement().satisfies(call -> assertThat(call.id()).startsWith("call_"));
    }

    @Test
    void anAnswerWithToolCallsIsFinishedToolCallsWhateverTheProviderSaid() {
        LlmResponse response = fed(LlmChunk.toolCall(0, "c1", "weather", "{}"), LlmChunk.finish("stop")).response(0, TOKENS);

        assertThat(response.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void aToolCallWhoseIdChangesHalfWayIsABadResponse() {
        StreamAssembler assembler = fed(LlmChunk.toolCall(0, "call_a", "weather", "{"));

        assertThatThrownBy(() -> assembler.accept(LlmChunk.toolCall(0, "call_z", null, "}")))
                .isInstanceOf(ProviderBadResponseException.class)
                .hasMessageContaining("changed the id of tool call #0");
    }

    @Test
    void aCompletedStreamWithAToolCallWithoutANameIsABadResponse() {
        StreamAssembler assembler = fed(LlmChunk.toolArguments(0, "{}"), LlmChunk.finish("tool_calls"));

        assertThatThrownBy(() -> assembler.response(0, TOKENS))
                .isInstanceOf(ProviderBadResponseException.class)
                .hasMessageContaining("tool call #0 without a tool name");
    }

    @Test
    void aStreamThatEndsWithoutAnyAnswerIsABadResponse() {
        StreamAssembler assembler = fed(LlmChunk.model("gpt-4o"), LlmChunk.usage(9, 0));

        assertThatThrownBy(() -> assembler.response(0, TOKENS))
                .isInstanceOf(ProviderBadResponseException.class)
                .hasMessageContaining("ended without an answer");
    }

    @Test
    void eachTokenCountIsTheLargestReportedSoUsageSplitOverChunksAddsUp() {
        // Anthropic: input (and one output token) in message_start, the output in message_delta
        LlmResponse response = fed(new LlmChunk.Usage(25, 1, TokenDetails.of(20, 0, 0), null), LlmChunk.text("Hi"),
                new LlmChunk.Usage(0, 15, TokenDetails.NONE, null), LlmChunk.finish("end_turn")).response(0, TOKENS);

        assertThat(response.inputTokens()).isEqualTo(25);
        assertThat(response.outputTokens()).isEqualTo(15);
        assertThat(response.tokenDetails()).isEqualTo(TokenDetails.of(20, 0, 0));
    }

    @Test
    void countsTheProviderDidNotReportAreCountedWithTheTokenizer() {
        StreamAssembler assembler = fed(LlmChunk.text("Hello, "), LlmChunk.text("world"), LlmChunk.finish("stop"));

        LlmResponse response = assembler.response(0, TOKENS);

        assertThat(assembler.usageReported()).isFalse();
        assertThat(response.inputTokens()).isEqualTo(TOKENS.inputTokens(REQUEST));
        assertThat(response.outputTokens()).isEqualTo(TOKENS.tokens("gpt-4o", "Hello, world")).isPositive();
    }

    @Test
    void aPartialResponseChargesWhatWasReceivedWhenTheProviderReportedLess() {
        String received = "a long answer that was cut off half way through its second sentence";
        StreamAssembler assembler = fed(new LlmChunk.Usage(25, 1, TokenDetails.NONE, null), LlmChunk.text(received));

        LlmResponse partial = assembler.partialResponse(0, TOKENS);

        assertThat(partial.content()).isEqualTo(received);
        assertThat(partial.inputTokens()).isEqualTo(25);
        assertThat(partial.outputTokens()).isEqualTo(TOKENS.tokens("gpt-4o", received)).isGreaterThan(1);
        assertThat(partial.finishReason()).isNull();
    }

    @Test
    void aPartialResponseKeepsNamedToolCallsAndDropsUnnamedOnesWithoutThrowing() {
        StreamAssembler assembler = fed(LlmChunk.toolCall(0, "c1", "weather", "{\"city\":"), LlmChunk.toolArguments(1, "{"));

        LlmResponse partial = assembler.partialResponse(0, TOKENS);

        assertThat(partial.toolCalls()).containsExactly(ToolCall.of("c1", "weather", "{\"city\":"));
    }

    @Test
    void theModelThatAnsweredAndTheClientsOwnCostAreKept() {
        LlmResponse response = fed(LlmChunk.model("gpt-4o-2024-08-06"), LlmChunk.text("ok"), LlmChunk.finish("stop"),
                new LlmChunk.Usage(3, 1, TokenDetails.NONE, new BigDecimal("0.002"))).response(0, TOKENS);

        assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(response.cost()).isEqualByComparingTo("0.002");
    }

    @Test
    void withoutAModelChunkTheRequestedModelIsTheOneThatAnswered() {
        LlmResponse response = fed(LlmChunk.text("ok")).response(0, TOKENS);

        assertThat(response.model()).isEqualTo("gpt-4o");
        assertThat(response.cost()).isNull();
    }
}
