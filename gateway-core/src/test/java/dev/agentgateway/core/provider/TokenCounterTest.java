package dev.agentgateway.core.provider;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Prompt tokens counted with the model's tokenizer where it is public, bounded by UTF-8 bytes elsewhere. */
class TokenCounterTest {

    private static final TokenCounter COUNTER = TokenCounter.standard();
    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private static final String CHINESE = "请根据以下信息总结本季度的销售情况，并列出三个主要风险和相应的应对措施。";
    private static final String KOREAN = "다음 내용을 요약하고 세 가지 핵심 위험을 알려 주세요.";
    private static final String CODE = "for (int i = 0; i < n; i++) { x ^= (a[i] << 3) | (b[i] >>> 2); }";

    private static LlmRequest request(String model, LlmMessage... messages) {
        return new LlmRequest("p", model, List.of(messages), List.of(), null, 100);
    }

    private static long bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void openAiModelsAreCountedWithTheirOwnEncoding() {
        assertThat(COUNTER.tokens("gpt-4o", CHINESE)).isEqualTo(O200K.countTokens(CHINESE));
        assertThat(COUNTER.tokens("gpt-4.1-mini", CODE)).isEqualTo(O200K.countTokens(CODE));
        assertThat(COUNTER.tokens("gpt-5-nano", KOREAN)).isEqualTo(O200K.countTokens(KOREAN));
        assertThat(COUNTER.tokens("o3", CODE)).isEqualTo(O200K.countTokens(CODE));
        assertThat(COUNTER.tokens("gpt-4-turbo", CHINESE)).isEqualTo(CL100K.countTokens(CHINESE));
        assertThat(COUNTER.tokens("openai/GPT-3.5-turbo", CODE)).isEqualTo(CL100K.countTokens(CODE));
    }

    @Test
    void chineseCostsFarMoreThanFourCharactersAToken() {
        assertThat(COUNTER.tokens("gpt-4o", CHINESE)).isGreaterThan(CHINESE.length() / 2);
    }

    @Test
    void modelsWithoutAPublicTokenizerAreBoundedByOneTokenAByte() {
        assertThat(COUNTER.hasTokenizer("claude-sonnet-4-5")).isFalse();
        assertThat(COUNTER.tokens("claude-sonnet-4-5", CHINESE)).isEqualTo(bytes(CHINESE));
        assertThat(COUNTER.tokens("gemini-2.5-pro", KOREAN)).isEqualTo(bytes(KOREAN));
        assertThat(COUNTER.tokens("llama3.1", "emoji 😀 and é")).isEqualTo(bytes("emoji 😀 and é"));
        assertThat(COUNTER.tokens(null, CODE)).isEqualTo(bytes(CODE));
    }

    @Test
    void namesThatOnlyLookLikeOpenAiModelsAreBounded() {
        assertThat(COUNTER.hasTokenizer("o1-mini")).isTrue();
        assertThat(COUNTER.hasTokenizer("o3")).isTrue();
        assertThat(COUNTER.hasTokenizer("ollama-7b")).isFalse();
        assertThat(COUNTER.hasTokenizer("o30")).isFalse();
    }

    @Test
    void aRequestCountsEveryMessageWithItsFramingAtLeastAsOpenAiDoes() {
        LlmRequest request = request("gpt-4o", LlmMessage.system("Be brief."), LlmMessage.user(CHINESE));

        // OpenAI's own formula: 3 a message plus its role and content, 3 to prime the reply
        long openAi = 3 + (3 + 1 + O200K.countTokens("Be brief.")) + (3 + 1 + O200K.countTokens(CHINESE));
        assertThat(COUNTER.inputTokens(request)).isGreaterThanOrEqualTo(openAi).isLessThanOrEqualTo(openAi + 6);
    }

    @Test
    void toolCallsAndToolResultsAreCounted() {
        LlmRequest without = request("gpt-4o", LlmMessage.user("Weather?"));
        LlmRequest with = request("gpt-4o", LlmMessage.user("Weather?"),
                LlmMessage.assistant(null, List.of(ToolCall.of("call_1", "weather", "{\"city\":\"Paris\"}"))),
                LlmMessage.tool("call_1", "weather", "{\"temp\":18}"));

        assertThat(COUNTER.inputTokens(with) - COUNTER.inputTokens(without))
                .isGreaterThanOrEqualTo(O200K.countTokens("{\"city\":\"Paris\"}") + O200K.countTokens("{\"temp\":18}")
                        + O200K.countTokens("weather") * 2L);
    }

    @Test
    void toolDefinitionsAreBoundedByTheBytesOfTheirJson() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of(
                "query", Map.of("type", "string", "description", "Text with \"quotes\", a\ttab and 日本語"),
                "limit", Map.of("type", "integer", "maximum", 1234567890123L),
                "exact", Map.of("type", "boolean", "default", true)), "required", List.of("query"));
        ToolSpec tool = ToolSpec.of("search", "Searches the documents.", schema);
        LlmRequest without = request("gpt-4o", LlmMessage.user("Find it"));
        LlmRequest with = new LlmRequest("p", "gpt-4o", without.messages(), List.of(tool), null, 100);

        long json = bytes(JsonMapper.builder().build().writeValueAsString(schema));
        assertThat(COUNTER.inputTokens(with) - COUNTER.inputTokens(without))
                .isGreaterThanOrEqualTo(json + bytes("search") + bytes("Searches the documents."));
    }

    @Test
    void withoutATokenizerToolsAlsoReserveTheHiddenToolPrompt() {
        ToolSpec tool = ToolSpec.of("noop", "Does nothing.");
        LlmRequest without = request("claude-sonnet-4-5", LlmMessage.user("Hi"));
        LlmRequest with = new LlmRequest("p", "claude-sonnet-4-5", without.messages(), List.of(tool), null, 100);

        // Anthropic documents a tool-use system prompt of up to 530 tokens
        assertThat(COUNTER.inputTokens(with) - COUNTER.inputTokens(without)).isGreaterThan(530);
    }

    @Test
    void aTextCountedAgainIsCountedByTheEncodingOfTheModelAskedNotTheOneRemembered() {
        // the same string instance, first for an o200k model, then a cl100k model, then one without a tokenizer
        assertThat(COUNTER.tokens("gpt-4o", CHINESE)).isEqualTo(O200K.countTokens(CHINESE));
        assertThat(COUNTER.tokens("gpt-4-turbo", CHINESE)).isEqualTo(CL100K.countTokens(CHINESE));
        assertThat(COUNTER.tokens("claude-sonnet-4", CHINESE)).isEqualTo(bytes(CHINESE));
        assertThat(COUNTER.tokens("gpt-4o", CHINESE)).isEqualTo(O200K.countTokens(CHINESE));
    }

    @Test
    void anEqualTextInAnotherStringAndALongTextCountAsAFreshOne() {
        String copy = new String(CODE.toCharArray());
        assertThat(COUNTER.tokens("gpt-4o", CODE)).isEqualTo(COUNTER.tokens("gpt-4o", copy)).isEqualTo(O200K.countTokens(CODE));
        String longText = CODE.repeat(200); // above what the counter remembers
        assertThat(COUNTER.tokens("gpt-4o", longText)).isEqualTo(COUNTER.tokens("gpt-4o", longText))
                .isEqualTo(O200K.countTokens(longText));
    }
}
