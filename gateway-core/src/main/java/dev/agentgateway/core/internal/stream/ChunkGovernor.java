package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.loop.StreamRepetitionRule;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.StreamAssembler;
import dev.agentgateway.core.provider.TokenCounter;
import dev.agentgateway.core.stream.OutputLimitExceededException;
import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.internal.stream.GovernedStream.Cut;
import dev.agentgateway.core.internal.stream.GovernedStream.Ending;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The gateway's governor of one provider stream: assembles the answer from the chunks as they
 * arrive, counts the output with the model's tokenizer (the byte bound where it is not public),
 * and cuts the stream when a {@link Watch} says so (time limit, operator), when counted output
 * reaches the output cap of a client that cannot bound its output, or when the text degenerates
 * into repetition. However the stream ends, {@link #settle} hands the {@link Settler} the answer:
 * the whole one when the provider completed, else what was received, its output counted where the
 * provider reported less.
 *
 * @param <I> what the provider publishes (chunks, or a framework's responses that carry them)
 * @param <O> what the subscriber receives
 */
public final class ChunkGovernor<I, O> implements GovernedStream.Governor<I, O> {

    /** Checked as each element arrives: a cut that does not wait for a timer (the clock, an operator's stop). */
    @FunctionalInterface
    public interface Watch {
        Watch NONE = () -> null;

        Cut check();
    }

    /** Settles the call once the stream ended, and says how the subscriber's stream ends. */
    @FunctionalInterface
    public interface Settler<O> {

        /**
         * @param response the answer (whole when {@code end} is COMPLETED, else what was received, with
         *                 the end's finish reason), priced by the settler
         * @param cause    why the stream ended early, or null
         */
        Ending<O> settle(StreamEnd end, LlmResponse response, Throwable cause, StreamStats stats);
    }

    /**
     * Figures of a stream the record does not carry.
     *
     * @param firstOutputNanos nanoseconds from the request to the first text or tool-call chunk; -1 without one
     */
    public record StreamStats(long elapsedNanos, long firstOutputNanos, int chunks, long countedOutputTokens) {
    }

    /** How the chunks of one stream are read, governed and handed on. */
    public record Settings<I, O>(Function<I, List<LlmChunk>> reader, Function<I, O> delivery, long outputCap,
                                 StreamRepetitionRule repetition, String agentId, String workflowId) {
        public Settings {
            Objects.requireNonNull(reader, "reader");
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(agentId, "agentId");
        }
    }

    private final Settings<I, O> settings;
    private final LlmRequest request;
    private final TokenCounter counter;
    private final Watch watch;
    private final Settler<O> settler;
    private final StreamAssembler assembler;
    private final StringBuilder text;
    private final long startedNanos = System.nanoTime();
    private long firstOutputNanos = -1;
    private long countedOutput;
    private int chunks;

    public ChunkGovernor(Settings<I, O> settings, LlmRequest request, TokenCounter counter, Watch watch, Settler<O> settler) {
        this.settings = settings;
        this.request = Objects.requireNonNull(request, "request");
        this.counter = Objects.requireNonNull(counter, "counter");
        this.watch = watch == null ? Watch.NONE : watch;
        this.settler = Objects.requireNonNull(settler, "settler");
        this.assembler = new StreamAssembler(request);
        this.text = settings.repetition() == null ? null : new StringBuilder();
    }

    @Override
    public Cut onElement(I element) {
        boolean output = false;
        for (LlmChunk chunk : settings.reader().apply(element)) {
            chunks++;
            assembler.accept(chunk);
            if (chunk instanceof LlmChunk.Text piece) {
                countedOutput += counter.tokens(request.model(), piece.delta());
                if (text != null) {
                    text.append(piece.delta());
                }
                output = true;
            } else if (chunk instanceof LlmChunk.ToolCallDelta delta) {
                countedOutput += counter.tokens(request.model(), delta.name()) + counter.tokens(request.model(),
                        delta.argumentsDelta());
                output = true;
            }
        }
        if (output && firstOutputNanos < 0) {
            firstOutputNanos = System.nanoTime() - startedNanos;
        }
        Cut cut = watch.check();
        if (cut != null || !output) {
            return cut;
        }
        if (settings.outputCap() > 0 && countedOutput >= settings.outputCap()) {
            return new Cut(StreamEnd.OUTPUT_LIMIT,
                    new OutputLimitExceededException(settings.agentId(), countedOutput, settings.outputCap()));
        }
        return text == null ? null : repetition();
    }

    private Cut repetition() {
        StreamRepetitionRule rule = settings.repetition();
        int block = rule.repeatedBlockAtEnd(text);
        if (block == 0) {
            return null;
        }
        return new Cut(StreamEnd.REPETITION, new LoopDetectedException(LoopPattern.REPEATED_STREAM_OUTPUT,
                List.of(settings.agentId()), settings.workflowId(), rule.repeats(),
                "the streamed answer ended in a block of " + block + " characters repeated " + rule.repeats()
                        + " times, and was cut off"));
    }

    @Override
    public O deliver(I element) {
        return settings.delivery().apply(element);
    }

    @Override
    public Ending<O> settle(StreamEnd end, Throwable cause) {
        long elapsed = System.nanoTime() - startedNanos;
        long latencyMs = elapsed / 1_000_000;
        StreamEnd ending = end;
        Throwable why = cause;
        LlmResponse response;
        if (end == StreamEnd.COMPLETED) {
            try {
                response = assembler.response(latencyMs, counter);
            } catch (ProviderBadResponseException broken) {
                ending = StreamEnd.FAILED;
                why = broken;
                response = assembler.partialResponse(latencyMs, counter).withFinishReason(StreamEnd.FAILED.finishReason());
            }
        } else {
            response = assembler.partialResponse(latencyMs, counter).withFinishReason(end.finishReason());
        }
        return settler.settle(ending, response, why, new StreamStats(elapsed, firstOutputNanos, chunks, countedOutput));
    }

    /** Output tokens counted so far. */
    long countedOutput() {
        return countedOutput;
    }
}
