package dev.agentgateway.spring.provider;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderException;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gateway's {@link LlmClient} over any Spring AI {@link ChatModel}. One call is one request
 * to the provider: Spring AI runs no tools (the gateway's loop does) and the provider clients
 * this package builds make no retries of their own. Every failure comes out as a typed
 * {@link ProviderException} with a redacted message.
 *
 * <p>With a time-out, the call runs on a worker thread and the caller stops waiting when the
 * time-out is reached, whether or not the provider's client honours its own.
 */
public class ChatModelLlmClient implements LlmClient {

    private final ChatModel chatModel;
    private final ProviderErrors errors;
    private final Duration timeout;
    private final ChatOptionsCustomizer optionsCustomizer;
    private final boolean sdkEnforcesTimeout;
    private final UsageReader usageReader;
    private final ChatOptionsCustomizer streamOptionsCustomizer;

    /**
     * @param timeout the per-call time-out, or {@code null} to wait as long as the ChatModel does
     */
    public ChatModelLlmClient(ChatModel chatModel, ProviderErrors errors, Duration timeout,
                              ChatOptionsCustomizer optionsCustomizer) {
        this(chatModel, errors, timeout, optionsCustomizer, false);
    }

    /**
     * @param sdkEnforcesTimeout the ChatModel's SDK stops the call at {@code timeout} itself, so the
     *                           call runs on the caller's thread: handing it to another thread to
     *                           watch the deadline costs tens of microseconds per call
     */
    public ChatModelLlmClient(ChatModel chatModel, ProviderErrors errors, Duration timeout,
                              ChatOptionsCustomizer optionsCustomizer, boolean sdkEnforcesTimeout) {
        this(chatModel, errors, timeout, optionsCustomizer, sdkEnforcesTimeout, UsageReader.PORTABLE);
    }

    /** @param usageReader how the provider's usage reads into token counts, cached input and reasoning */
    public ChatModelLlmClient(ChatModel chatModel, ProviderErrors errors, Duration timeout,
                              ChatOptionsCustomizer optionsCustomizer, boolean sdkEnforcesTimeout, UsageReader usageReader) {
        this(chatModel, errors, timeout, optionsCustomizer, sdkEnforcesTimeout, usageReader, optionsCustomizer);
    }

    /**
     * @param streamOptionsCustomizer the options of a streamed request: those of a blocking one, plus
     *                                whatever the API needs to report usage in a stream (OpenAI's
     *                                {@code stream_options.include_usage})
     */
    public ChatModelLlmClient(ChatModel chatModel, ProviderErrors errors, Duration timeout,
                              ChatOptionsCustomizer optionsCustomizer, boolean sdkEnforcesTimeout, UsageReader usageReader,
                              ChatOptionsCustomizer streamOptionsCustomizer) {
        this.streamOptionsCustomizer = streamOptionsCustomizer == null ? optionsCustomizer : streamOptionsCustomizer;
        this.usageReader = usageReader == null ? UsageReader.PORTABLE : usageReader;
        this.chatModel = Objects.requireNonNull(chatModel, "chatModel");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.timeout = timeout;
        this.optionsCustomizer = optionsCustomizer == null ? ChatOptionsCustomizer.PORTABLE : optionsCustomizer;
        this.sdkEnforcesTimeout = sdkEnforcesTimeout;
    }

    public ChatModelLlmClient(ChatModel chatModel, Duration timeout) {
        this(chatModel, ProviderErrors.standard(), timeout, ChatOptionsCustomizer.PORTABLE);
    }

    public ChatModel chatModel() {
        return chatModel;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public LlmResponse complete(LlmRequest request) {
        String provider = request.provider();
        Prompt prompt;
        try {
            prompt = PromptMapper.toPrompt(request, chatModel, optionsCustomizer);
        } catch (RuntimeException unmappable) {
            throw new ProviderException(provider, "Could not build the request for provider '" + provider + "': "
                    + errors.describe(unmappable), false, errors.redactor().safeCause(unmappable));
        }
        long started = System.nanoTime();
        ChatResponse response = timeout == null || sdkEnforcesTimeout ? callHere(prompt, provider)
                : callWithDeadline(prompt, provider);
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        try {
            return ChatResponseMapper.toLlmResponse(response, request, latencyMs, errors, usageReader);
        } catch (ProviderException typed) {
            throw typed;
        } catch (RuntimeException unreadable) {
            throw errors.badResponse(provider, "returned a response the gateway could not read", unreadable);
        }
    }

    /**
     * The answer through {@link ChatModel#stream}: nothing is sent before a subscriber arrives, demand
     * and cancel go through to Spring AI's {@code Flux} (a cancel closes the provider connection),
     * every failure is a typed {@link ProviderException} with a redacted message, as on the blocking
     * path. The call time-out bounds the wait for each chunk, the first included: a stream that keeps
     * sending is not hung, and how long it may run in all is the run's time limit, which the gateway
     * enforces.
     */
    @Override
    public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
        String provider = request.provider();
        Flux<LlmChunk> chunks = Flux.defer(() -> {
            Prompt prompt;
            try {
                prompt = PromptMapper.toPrompt(request, chatModel, streamOptionsCustomizer);
            } catch (RuntimeException unmappable) {
                return Flux.error(new ProviderException(provider, "Could not build the request for provider '" + provider
                        + "': " + errors.describe(unmappable), false, errors.redactor().safeCause(unmappable)));
            }
            ChatResponseChunks reader = new ChatResponseChunks(provider, errors, usageReader);
            Flux<ChatResponse> responses = chatModel.stream(prompt);
            if (timeout != null) {
                responses = responses.timeout(timeout, Flux.defer(() -> Flux.error(errors.timeout(provider,
                        "sent no stream chunk within the call time-out of " + timeout.toMillis() + " ms", null))));
            }
            return reader.untilFinished(responses.concatMapIterable(reader::read));
        });
        return JdkFlowAdapter.publisherToFlowPublisher(ChatResponseChunks.typed(chunks, provider, errors));
    }

    private ChatResponse callHere(Prompt prompt, String provider) {
        try {
            return chatModel.call(prompt);
        } catch (RuntimeException failure) {
            throw errors.translate(provider, failure);
        } catch (StackOverflowError deeplyNested) {
            throw errors.badResponse(provider, "returned a response nested too deeply to read", null);
        }
    }

    private ChatResponse callWithDeadline(Prompt prompt, String provider) {
        Future<ChatResponse> future;
        try {
            future = ProviderCallExecutor.pool().submit(() -> chatModel.call(prompt));
        } catch (RejectedExecutionException busy) {
            return callHere(prompt, provider);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            future.cancel(true);
            throw errors.timeout(provider, "did not answer within the call time-out of " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException interrupted) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw errors.timeout(provider, "call was interrupted while waiting for the answer", null);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (cause instanceof VirtualMachineError fatal && !(cause instanceof StackOverflowError)) {
                throw fatal;
            }
            if (cause instanceof StackOverflowError) {
                throw errors.badResponse(provider, "returned a response nested too deeply to read", null);
            }
            throw errors.translate(provider, cause);
        }
    }

    @Override
    public String toString() {
        return "ChatModelLlmClient[" + chatModel.getClass().getSimpleName() + ", timeout=" + timeout + "]";
    }
}
