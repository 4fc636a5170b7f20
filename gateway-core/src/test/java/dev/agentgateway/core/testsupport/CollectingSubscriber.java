package dev.agentgateway.core.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber that requests what the test says, records every signal in order, and counts
 * signals that break the Reactive Streams rules (anything after a terminal signal).
 */
public class CollectingSubscriber<T> implements Flow.Subscriber<T> {

    private final long initialRequest;
    private final List<T> elements = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicInteger terminalSignals = new AtomicInteger();
    private final AtomicInteger signalsAfterTerminal = new AtomicInteger();
    private volatile Flow.Subscription subscription;
    private volatile Throwable error;
    private volatile boolean completed;

    public CollectingSubscriber(long initialRequest) {
        this.initialRequest = initialRequest;
    }

    /** Requests everything at once. */
    public static <T> CollectingSubscriber<T> unbounded() {
        return new CollectingSubscriber<>(Long.MAX_VALUE);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (initialRequest > 0) {
            s.request(initialRequest);
        }
    }

    @Override
    public void onNext(T item) {
        if (terminalSignals.get() > 0) {
            signalsAfterTerminal.incrementAndGet();
        }
        elements.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        if (terminalSignals.getAndIncrement() > 0) {
            signalsAfterTerminal.incrementAndGet();
        }
        error = throwable;
        terminated.countDown();
    }

    @Override
    public void onComplete() {
        if (terminalSignals.getAndIncrement() > 0) {
            signalsAfterTerminal.incrementAndGet();
        }
        completed = true;
        terminated.countDown();
    }

    public void request(long n) {
        subscription.request(n);
    }

    public void cancel() {
        subscription.cancel();
    }

    public List<T> elements() {
        return List.copyOf(elements);
    }

    public Throwable error() {
        return error;
    }

    public boolean completed() {
        return completed;
    }

    public boolean terminated() {
        return terminated.getCount() == 0;
    }

    /** Waits for the terminal signal of a stream signalled from other threads (a bounded wait, not a timing). */
    public CollectingSubscriber<T> awaitTermination() throws InterruptedException {
        if (!terminated.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the stream did not end");
        }
        return this;
    }

    /** {@link #awaitTermination()} for tests that cannot throw the checked exception. */
    public CollectingSubscriber<T> awaitTerminationQuietly() {
        try {
            return awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the stream to end", e);
        }
    }

    public int signalsAfterTerminal() {
        return signalsAfterTerminal.get();
    }
}
