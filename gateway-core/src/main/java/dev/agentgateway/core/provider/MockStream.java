package dev.agentgateway.core.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How {@link MockLlmClient} and {@link ScriptedLlmClient} stream their answers, so that tests can
 * play the streams real providers send and the ones they send on a bad day: the answer cut into
 * pieces of {@code chunkChars} characters (text and tool-call arguments alike), a failure after
 * {@code failAfterChunks} chunks instead of the rest, no usage chunk, a delay before each chunk,
 * chunks signalled from an {@link Executor}'s threads rather than from the thread that requests them.
 *
 * @param failAfterChunks how many chunks are delivered before {@code failure}; negative for none
 * @param executor        where chunks are signalled; {@code null} signals them on the thread that
 *                        calls {@code request(n)} (deterministic, and the delays block that thread)
 */
public record MockStream(int chunkChars, int failAfterChunks, ProviderException failure, boolean usage,
                         Duration chunkDelay, Executor executor) {

    /** Pieces of 8 characters, a usage chunk, no failure, no delay, signalled on the requesting thread. */
    public static final MockStream DEFAULT = new MockStream(8, -1, null, true, Duration.ZERO, null);

    public MockStream {
        if (chunkChars < 1) {
            throw new IllegalArgumentException("chunkChars must be at least 1, was " + chunkChars);
        }
        Objects.requireNonNull(chunkDelay, "chunkDelay");
        if (chunkDelay.isNegative()) {
            throw new IllegalArgumentException("chunkDelay must not be negative, was " + chunkDelay);
        }
        if (failAfterChunks >= 0) {
            Objects.requireNonNull(failure, "a stream that fails needs its failure");
        }
    }

    /** Text and tool-call arguments in pieces of {@code chars} characters (code points). */
    public MockStream chunksOf(int chars) {
        return new MockStream(chars, failAfterChunks, failure, usage, chunkDelay, executor);
    }

    /** Delivers {@code chunks} chunks, then fails as a dropped connection does ({@link ProviderTimeoutException}). */
    public MockStream failingAfter(int chunks) {
        return failingAfter(chunks, new ProviderTimeoutException("mock",
                "The mock stream dropped its connection after " + chunks + " chunks", null));
    }

    /** Delivers {@code chunks} chunks, then signals {@code error} instead of the rest. */
    public MockStream failingAfter(int chunks, ProviderException error) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must not be negative, was " + chunks);
        }
        return new MockStream(chunkChars, chunks, Objects.requireNonNull(error, "error"), usage, chunkDelay, executor);
    }

    /** Sends no usage chunk, as a provider not asked for usage does: the gateway has to count. */
    public MockStream withoutUsage() {
        return new MockStream(chunkChars, failAfterChunks, failure, false, chunkDelay, executor);
    }

    /** Waits {@code delay} before each chunk: a slow provider. */
    public MockStream withChunkDelay(Duration delay) {
        return new MockStream(chunkChars, failAfterChunks, failure, usage, delay, executor);
    }

    /** Signals the chunks from {@code chunkExecutor}'s threads, as a client over a network library does. */
    public MockStream signalledOn(Executor chunkExecutor) {
        return new MockStream(chunkChars, failAfterChunks, failure, usage, chunkDelay,
                Objects.requireNonNull(chunkExecutor, "chunkExecutor"));
    }

    /** Whether this stream fails after some chunks. */
    public boolean fails() {
        return failAfterChunks >= 0;
    }
}
