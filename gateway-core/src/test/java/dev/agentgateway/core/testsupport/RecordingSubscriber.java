package dev.agentgateway.core.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber that requests nothing by itself: the test says how much to request and when, and
 * reads what arrived. It also counts signals that break the Reactive Streams rules (a second
 * terminal signal, a signal after one).
 */
public final class RecordingSubscriber<T> implements Flow.Subscriber<T> {

    private final List<T> items = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicInteger terminalSignals = new AtomicInteger();
    private final AtomicInteger signalsAfterTerminal = new AtomicInteger();
    private final long requestOnSubscribe;
    private volatile Flow.Subscription subscription;
    private volatile Throwable error;
    private volatile boolean completed;

    private RecordingSubscriber(long requestOnSubscribe) {
        this.requestOnSubscribe = requestOnSubscribe;
    }

    /** Requests nothing until told. */
    public static <T> RecordingSubscriber<T> requestingNothing() {
        return new RecordingSubscriber<>(0);
    }

    /** Requests everything as soon as it is subscribed. */
    public static <T> RecordingSubscriber<T> requestingAll() {
        return new RecordingSubscriber<>(Long.MAX_VALUE);
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        this.subscription = newSubscription;
        if (requestOnSubscribe > 0) {
            newSubscription.request(requestOnSubscribe);
        }
    }

    @Override
    public void onNext(T item) {
        if (terminalSignals.get() > 0) {
            signalsAfterTerminal.incrementAndGet();
        }
        items.add(item);
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

    public RecordingSubscriber<T> request(long n) {
        subscription.request(n);
        return this;
    }

    public void cancel() {
        subscription.cancel();
    }

    public List<T> items() {
        return List.copyOf(items);
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

    /** Signals that came after the first terminal one: always zero for a publisher that keeps the rules. */
    public int ruleBreaks() {
        return signalsAfterTerminal.get();
    }

    /** Waits for the stream to end; fails the test when it does not end within {@code limit}. */
    public RecordingSubscriber<T> awaitTermination(Duration limit) throws InterruptedException {
        if (!terminated.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the stream did not end within " + limit + "; received " + items.size() + " items");
        }
        return this;
    }
}
