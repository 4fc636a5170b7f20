package dev.agentgateway.core.provider.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The standard {@link TokenCounter}. OpenAI's models are counted with jtokkit (ordinary text:
 * special-token strings in a prompt are text, as the API treats them); every other model with
 * the UTF-8 byte bound. Tool definitions are bounded by the bytes of their JSON on every model:
 * providers render them in formats of their own, so no tokenizer can count them exactly.
 */
public final class ModelTokenCounter implements TokenCounter {

    public static final ModelTokenCounter INSTANCE = new ModelTokenCounter();

    /** Framing of a model with a public tokenizer: OpenAI documents 3 tokens a message and 3 to prime the reply; one more of margin. */
    private static final Framing TOKENIZED = new Framing(4, 4, 8, 32, 64);
    /**
     * Framing where the tokenizer is not public: role markers of a few tokens a message, and a
     * hidden tool-use system prompt when tools are offered (Anthropic documents 313–530 tokens).
     */
    private static final Framing BOUNDED = new Framing(16, 16, 16, 32, 600);
    private static final int MAX_CACHED_MODELS = 10_000;
    /** Texts longer than this are counted every time: the memo must not keep large documents alive. */
    private static final int MAX_REMEMBERED_TEXT = 8_192;

    /** Per-message, reply, per-tool-call, per-tool and per-request-with-tools framing, in tokens. */
    private record Framing(int message, int reply, int toolCall, int tool, int tools) {
    }

    /** Loaded on first use: an encoding's tables take tens of milliseconds to build. */
    private static final class Registry {
        static final EncodingRegistry ENCODINGS = Encodings.newLazyEncodingRegistry();
    }

    /** Each model's encoding (empty: byte bound), resolved once: the look-up is on every call. */
    private final Map<String, Optional<Encoding>> encodings = new ConcurrentHashMap<>();
    /** Token counts of the texts (system prompts, role names) and schema sizes that recur call after call. */
    private final IdentityMemo counted = new IdentityMemo(256);

    private ModelTokenCounter() {
    }

    @Override
    public long inputTokens(LlmRequest request) {
        Encoding encoding = encoding(request.model());
        Framing framing = encoding == null ? BOUNDED : TOKENIZED;
        long tokens = framing.reply();
        for (LlmMessage message : request.messages()) {
            tokens += framing.message() + count(encoding, message.role().name()) + count(encoding, message.content())
                    + count(encoding, message.name()) + count(encoding, message.toolCallId());
            for (ToolCall call : message.toolCalls()) {
                tokens += framing.toolCall() + count(encoding, call.id()) + count(encoding, call.name())
                        + count(encoding, call.arguments());
            }
        }
        if (!request.tools().isEmpty()) {
            tokens += framing.tools();
            for (ToolSpec tool : request.tools()) {
                tokens += framing.tool() + Utf8.length(tool.name()) + Utf8.length(tool.description())
                        + schemaSize(tool.parameters());
            }
        }
        return tokens;
    }

    @Override
    public long tokens(String model, String text) {
        return count(encoding(model), text);
    }

    @Override
    public boolean hasTokenizer(String model) {
        return encoding(model) != null;
    }

    private long count(Encoding encoding, String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (encoding == null) {
            return Utf8.length(text);
        }
        if (text.length() > MAX_REMEMBERED_TEXT) {
            return encoding.countTokensOrdinary(text);
        }
        long known = counted.find(text, encoding);
        if (known < 0) {
            known = encoding.countTokensOrdinary(text);
            counted.remember(text, encoding, known);
        }
        return known;
    }

    /** A ToolSpec's parameters are an immutable map, usually the same one on every call of a tool. */
    private long schemaSize(Map<String, Object> parameters) {
        long known = counted.find(parameters, JsonSize.class);
        if (known < 0) {
            known = JsonSize.of(parameters);
            counted.remember(parameters, JsonSize.class, known);
        }
        return known;
    }

    private Encoding encoding(String model) {
        if (model == null) {
            return null;
        }
        Optional<Encoding> known = encodings.get(model);
        if (known == null) {
            known = encodingType(model).map(Registry.ENCODINGS::getEncoding);
            if (encodings.size() < MAX_CACHED_MODELS) {
                encodings.put(model, known);
            }
        }
        return known.orElse(null);
    }

    /** OpenAI's published encodings by model family; a provider prefix ({@code openai/gpt-4o}) is ignored. */
    static Optional<EncodingType> encodingType(String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        if (name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o") || name.startsWith("gpt-4.1")
                || name.startsWith("gpt-4.5") || name.startsWith("gpt-5") || name.startsWith("gpt-oss")
                || name.matches("o[134](-.*)?")) {
            return Optional.of(EncodingType.O200K_BASE);
        }
        if (name.startsWith("gpt-4") || name.startsWith("gpt-3.5") || name.startsWith("gpt-35")) {
            return Optional.of(EncodingType.CL100K_BASE);
        }
        return Optional.empty();
    }
}
