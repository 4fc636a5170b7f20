package dev.agentgateway.core.testsupport;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a list, honouring demand, on the thread that requests; then completes, or fails with
 * {@code failure} after the list. Counts its subscribers and whether one cancelled.
 */
public final class ListPublisher<T> implements Flow.Publisher<T> {

    private final List<T> items;
    private final RuntimeException failure;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public ListPublisher(List<T> items, RuntimeException failure) {
        this.items = List.copyOf(items);
        this.failure = failure;
    }

    public static <T> ListPublisher<T> of(List<T> items) {
        return new ListPublisher<>(items, null);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        subscriptions.incrementAndGet();
        subscriber.onSubscribe(new Flow.Subscription() {
            private int next;
            private long demand;
            private boolean emitting;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                if (emitting) {
                    return;
                }
                emitting = true;
                while (!done && !cancelled.get() && demand > 0 && next < items.size()) {
                    demand--;
                    subscriber.onNext(items.get(next++));
                }
                if (!done && !cancelled.get() && next == items.size()) {
                    done = true;
                    if (failure != null) {
                        subscriber.onError(failure);
                    } else {
                        subscriber.onComplete();
                    }
                }
                emitting = false;
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        });
    }

    public int subscriptions() {
        return subscriptions.get();
    }

    public boolean cancelled() {
        return cancelled.get();
    }
}
