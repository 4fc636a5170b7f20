package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.provider.TokenDetails;
import dev.agentgateway.core.provider.ToolCall;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads a Spring AI {@link ChatResponse} into an {@link LlmResponse}: text, tool calls (with an
 * id generated where the provider gives none, as Ollama and Gemini do), a normalised finish
 * reason, token counts (the gateway's upper bound when the provider reports none; cached input and
 * reasoning where it reports them) and the model that answered.
 * Anything unusable becomes a {@link dev.agentgateway.core.provider.ProviderBadResponseException}.
 */
public final class ChatResponseMapper {

    private static final TokenCounter TOKENS = TokenCounter.standard();

    private ChatResponseMapper() {
    }

    public static LlmResponse toLlmResponse(ChatResponse response, LlmRequest request, long latencyMs, ProviderErrors errors) {
        return toLlmResponse(response, request, latencyMs, errors, UsageReader.PORTABLE);
    }

    /** @param usageReader how the provider's usage reads into token counts, cached input and reasoning */
    public static LlmResponse toLlmResponse(ChatResponse response, LlmRequest request, long latencyMs, ProviderErrors errors,
                                            UsageReader usageReader) {
        String provider = request.provider();
        if (response == null) {
            throw errors.badResponse(provider, "returned no response", null);
        }
        List<Generation> generations = response.getResults();
        if (generations == null || generations.isEmpty()) {
            throw errors.badResponse(provider, "returned a response without any answer", null);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> toolCalls = new ArrayList<>();
        String finishReason = null;
        boolean answered = false;
        for (Generation generation : generations) {
            if (generation == null) {
                continue;
            }
            ChatGenerationMetadata metadata = generation.getMetadata();
            if (finishReason == null && metadata != null && metadata.getFinishReason() != null
                    && !metadata.getFinishReason().isBlank()) {
                finishReason = metadata.getFinishReason();
            }
            AssistantMessage output = generation.getOutput();
            if (output == null) {
                continue;
            }
            answered = true;
            String piece = output.getText();
            if (piece != null && !piece.isEmpty()) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(piece);
            }
            List<AssistantMessage.ToolCall> calls = output.getToolCalls();
            if (calls != null) {
                for (AssistantMessage.ToolCall call : calls) {
                    toolCalls.add(toolCall(call, provider, errors));
                }
            }
        }
        if (!answered || (text.isEmpty() && toolCalls.isEmpty() && finishReason == null)) {
            throw errors.badResponse(provider, "returned an empty answer", null);
        }
        String content = text.toString();
        ChatResponseMetadata metadata = response.getMetadata();
        Usage usage = metadata == null ? null : metadata.getUsage();
        long inputTokens = tokens(usage == null ? null : usage.getPromptTokens(), TOKENS.inputTokens(request));
        long outputTokens = tokens(usage == null ? null : usage.getCompletionTokens(),
                estimateOutput(request.model(), content, toolCalls));
        String model = metadata == null || metadata.getModel() == null || metadata.getModel().isBlank()
                ? request.model() : metadata.getModel();
        LlmResponse read = new LlmResponse(toolCalls.isEmpty() ? content : (content.isEmpty() ? null : content), toolCalls,
                inputTokens, outputTokens, null, model, provider, latencyMs, normalizeFinishReason(finishReason, !toolCalls.isEmpty()),
                TokenDetails.NONE);
        return usage == null ? read : usageReader.read(usage, read);
    }

    private static ToolCall toolCall(AssistantMessage.ToolCall call, String provider, ProviderErrors errors) {
        if (call == null || call.name() == null || call.name().isBlank()) {
            throw errors.badResponse(provider, "asked for a tool call without a tool name", null);
        }
        String id = call.id() == null || call.id().isBlank() ? generatedId() : call.id();
        return new ToolCall(id, call.name(), call.arguments());
    }

    private static String generatedId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** Spring AI reports a missing usage as zero tokens (EmptyUsage): text costs at least one, so zero is no count. */
    private static long tokens(Integer reported, long estimate) {
        return reported == null || reported <= 0 ? estimate : reported;
    }

    private static long estimateOutput(String model, String content, List<ToolCall> toolCalls) {
        long tokens = TOKENS.tokens(model, content);
        for (ToolCall call : toolCalls) {
            tokens += TOKENS.tokens(model, call.name()) + TOKENS.tokens(model, call.arguments());
        }
        return tokens;
    }

    /**
     * One vocabulary for all providers: {@code tool_calls} when the answer asks for tools (Ollama
     * and Gemini say "stop" even then), else {@code stop}, {@code length}, {@code content_filter},
     * or the provider's own reason in lower case ({@code unknown} when it is unreadable).
     */
    static String normalizeFinishReason(String raw, boolean hasToolCalls) {
        if (hasToolCalls) {
            return "tool_calls";
        }
        if (raw == null || raw.isBlank()) {
            return "stop";
        }
        String reason = raw.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_\\-]", "");
        if (reason.isEmpty()) {
            return "unknown";
        }
        return switch (reason) {
            case "stop", "end_turn", "stop_sequence", "finish_reason_unspecified", "pause_turn" -> "stop";
            case "length", "max_tokens", "model_context_window_exceeded" -> "length";
            case "content_filter", "safety", "recitation", "blocklist", "prohibited_content", "spii", "refusal",
                 "image_safety" -> "content_filter";
            default -> reason;
        };
    }
}
