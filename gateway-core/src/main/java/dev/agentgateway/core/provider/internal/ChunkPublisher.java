package dev.agentgateway.core.provider.internal;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.MockStream;
import dev.agentgateway.core.provider.ProviderTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The offline clients' stream: a cold publisher of a list of chunks made at subscription (one
 * subscription is one "provider call"), shaped by a {@link MockStream}. It follows the Reactive
 * Streams rules the gateway relies on: no more chunks than requested, a terminal signal without
 * demand, nothing after a cancel, {@code request(n <= 0)} is an error.
 */
public final class ChunkPublisher implements Flow.Publisher<LlmChunk> {

    private final String provider;
    private final Supplier<List<LlmChunk>> answer;
    private final Duration firstChunkDelay;
    private final MockStream shape;
    private final Runnable onCancel;

    /**
     * @param answer          the chunks of the answer, made when a subscriber arrives; a
     *                        {@link RuntimeException} it throws is the stream's error
     * @param firstChunkDelay waited once before the first chunk (the time to first token)
     * @param onCancel        run once when a subscriber cancels before the stream ended
     */
    public ChunkPublisher(String provider, Supplier<List<LlmChunk>> answer, Duration firstChunkDelay, MockStream shape,
                          Runnable onCancel) {
        this.provider = provider;
        this.answer = Objects.requireNonNull(answer, "answer");
        this.firstChunkDelay = Objects.requireNonNull(firstChunkDelay, "firstChunkDelay");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.onCancel = Objects.requireNonNull(onCancel, "onCancel");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super LlmChunk> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        List<LlmChunk> chunks;
        RuntimeException refused = null;
        try {
            chunks = List.copyOf(answer.get());
        } catch (RuntimeException failure) {
            chunks = List.of();
            refused = failure;
        }
        ChunkSubscription subscription = new ChunkSubscription(subscriber, chunks, refused);
        subscriber.onSubscribe(subscription);
        if (refused != null) {
            subscription.drain();
        }
    }

    private final class ChunkSubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super LlmChunk> subscriber;
        private final List<LlmChunk> chunks;
        private final int failAt;
        private final RuntimeException failure;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile boolean done;
        private int next;

        ChunkSubscription(Flow.Subscriber<? super LlmChunk> subscriber, List<LlmChunk> chunks, RuntimeException refused) {
            this.subscriber = subscriber;
            this.chunks = chunks;
            this.failAt = refused != null ? 0 : shape.fails() ? Math.min(shape.failAfterChunks(), chunks.size()) : -1;
            this.failure = refused != null ? refused : shape.failure();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelSilently();
                done = true;
                subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n));
                return;
            }
            demand.getAndAccumulate(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
            drain();
        }

        @Override
        public void cancel() {
            if (!done && cancelled.compareAndSet(false, true)) {
                onCancel.run();
            }
            synchronized (this) {
                notifyAll();
            }
        }

        private void cancelSilently() {
            cancelled.set(true);
        }

        void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            if (shape.executor() == null) {
                emit();
            } else {
                shape.executor().execute(this::emit);
            }
        }

        /** Signals what demand allows; one thread at a time (the {@code work} counter), never recursively. */
        private void emit() {
            int missed = 1;
            while (true) {
                while (!cancelled.get() && !done) {
                    if (next == failAt) {
                        finish(failure);
                    } else if (next >= chunks.size()) {
                        finish(null);
                    } else if (demand.get() == 0) {
                        break;
                    } else if (pause(next == 0 ? firstChunkDelay.plus(shape.chunkDelay()) : shape.chunkDelay())
                            && !cancelled.get()) {
                        if (demand.get() != Long.MAX_VALUE) {
                            demand.decrementAndGet();
                        }
                        subscriber.onNext(chunks.get(next++));
                    }
                }
                missed = work.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void finish(RuntimeException error) {
            done = true;
            if (error == null) {
                subscriber.onComplete();
            } else {
                subscriber.onError(error);
            }
        }

        /**
         * Waits {@code delay}, or less when the subscriber cancels meanwhile (a slow stream cut off by
         * the gateway must not keep its thread). False, and the stream ended with a time-out, when the
         * thread is interrupted.
         */
        private boolean pause(Duration delay) {
            if (delay.isZero()) {
                return true;
            }
            long deadline = System.nanoTime() + delay.toNanos();
            try {
                synchronized (this) {
                    for (long left = delay.toNanos(); left > 0 && !cancelled.get(); left = deadline - System.nanoTime()) {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                }
                return true;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                finish(new ProviderTimeoutException(provider, "Interrupted while the mock stream waited to send a chunk",
                        interrupted));
                return false;
            }
        }
    }
}
