package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.TokenDetails;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@link ChatResponse}s of one Spring AI stream into {@link LlmChunk}s: text pieces, tool
 * calls (numbered in the order they appear; a piece with an id seen before continues that call),
 * the finish reason in the gateway's vocabulary, the usage (as the blocking path reads it) and the
 * model that answers. One instance per stream: it remembers the tool calls and model seen so far.
 * The provider adapters read {@code ChatModel.stream} with it, and {@code GatewayAdvisor} a
 * {@code ChatClient}'s stream, so both read a stream and decide when it ended the same way.
 */
public final class ChatResponseChunks {

    private final String provider;
    private final ProviderErrors errors;
    private final UsageReader usageReader;
    private final Map<String, Integer> toolCallIndexes = new HashMap<>();
    private int toolCalls;
    private String model;
    private boolean finished;
    private int responses;

    public ChatResponseChunks(String provider, ProviderErrors errors, UsageReader usageReader) {
        this.provider = provider;
        this.errors = errors;
        this.usageReader = usageReader;
    }

    /**
     * The chunks one response of the stream carries.
     *
     * @throws dev.agentgateway.core.provider.ProviderBadResponseException for a missing response or a tool call without a name
     */
    public List<LlmChunk> read(ChatResponse response) {
        if (response == null) {
            throw errors.badResponse(provider, "sent an empty stream chunk", null);
        }
        responses++;
        List<LlmChunk> chunks = new ArrayList<>(3);
        ChatResponseMetadata metadata = response.getMetadata();
        if (metadata != null && metadata.getModel() != null && !metadata.getModel().isBlank()
                && !metadata.getModel().equals(model)) {
            model = metadata.getModel();
            chunks.add(LlmChunk.model(model));
        }
        String finish = null;
        for (Generation generation : response.getResults() == null ? List.<Generation>of() : response.getResults()) {
            if (generation == null) {
                continue;
            }
            readOutput(generation.getOutput(), chunks);
            ChatGenerationMetadata generationMetadata = generation.getMetadata();
            if (generationMetadata != null && generationMetadata.getFinishReason() != null
                    && !generationMetadata.getFinishReason().isBlank()) {
                finish = generationMetadata.getFinishReason();
            }
        }
        if (finish != null) {
            finished = true;
            chunks.add(LlmChunk.finish(ChatResponseMapper.normalizeFinishReason(finish, toolCalls > 0)));
        }
        Usage usage = metadata == null ? null : metadata.getUsage();
        if (usage != null && (positive(usage.getPromptTokens()) > 0 || positive(usage.getCompletionTokens()) > 0)) {
            chunks.add(usage(usage));
        }
        return chunks;
    }

    private void readOutput(AssistantMessage output, List<LlmChunk> chunks) {
        if (output == null) {
            return;
        }
        String text = output.getText();
        if (text != null && !text.isEmpty()) {
            chunks.add(LlmChunk.text(text));
        }
        for (AssistantMessage.ToolCall call : output.getToolCalls() == null ? List.<AssistantMessage.ToolCall>of()
                : output.getToolCalls()) {
            if (call == null) {
                continue;
            }
            boolean hasId = call.id() != null && !call.id().isBlank();
            Integer known = hasId ? toolCallIndexes.get(call.id()) : null;
            if (known != null) {
                chunks.add(LlmChunk.toolArguments(known, call.arguments()));
                continue;
            }
            if (call.name() == null || call.name().isBlank()) {
                throw errors.badResponse(provider, "asked for a tool call without a tool name", null);
            }
            int index = toolCalls++;
            if (hasId) {
                toolCallIndexes.put(call.id(), index);
            }
            chunks.add(LlmChunk.toolCall(index, hasId ? call.id() : null, call.name(), call.arguments()));
        }
    }

    /**
     * {@code stream}, read with this reader, ending in a typed {@code ProviderTimeoutException} when it
     * completes before the provider said why it stopped: a connection closed half way ends some SDKs'
     * streams quietly, and only the missing finish reason tells.
     */
    public <T> Flux<T> untilFinished(Flux<T> stream) {
        return stream.concatWith(Flux.defer(() -> finished ? Flux.empty()
                : Flux.error(errors.timeout(provider, "closed the stream before the answer finished (after "
                        + responses + " stream chunks)", null))));
    }

    /**
     * {@code stream} with every failure a typed {@link ProviderException} with a redacted message, as
     * the blocking path types them (a response nested too deeply to read included).
     */
    public static <T> Flux<T> typed(Flux<T> stream, String provider, ProviderErrors errors) {
        return stream.onErrorMap(failure -> !(failure instanceof ProviderException), failure -> failure instanceof StackOverflowError
                ? errors.badResponse(provider, "sent a stream chunk nested too deeply to read", null)
                : errors.translate(provider, failure));
    }

    /** The usage as the blocking path reads it (the provider's reader decides what counts include). */
    private LlmChunk.Usage usage(Usage usage) {
        long in = positive(usage.getPromptTokens());
        long out = positive(usage.getCompletionTokens());
        LlmResponse read = usageReader.read(usage, new LlmResponse("", List.of(), in, out, null, model, provider, 0, null,
                TokenDetails.NONE));
        return new LlmChunk.Usage(read.inputTokens(), read.outputTokens(), read.tokenDetails(), null);
    }

    private static long positive(Integer count) {
        return count == null || count < 0 ? 0 : count;
    }
}
