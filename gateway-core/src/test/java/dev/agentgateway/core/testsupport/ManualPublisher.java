package dev.agentgateway.core.testsupport;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider's publisher the test drives by hand: it signals only what the test tells it to, and
 * records the demand it was given and whether it was cancelled. It does not check demand itself,
 * so a test can see what a subscriber of it was asked for.
 */
public final class ManualPublisher<T> implements Flow.Publisher<T> {

    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Flow.Subscriber<? super T> subscriber;

    @Override
    public void subscribe(Flow.Subscriber<? super T> s) {
        subscriber = s;
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested.addAndGet(n);
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        });
    }

    public void emit(T element) {
        subscriber.onNext(element);
    }

    public void complete() {
        subscriber.onComplete();
    }

    public void fail(Throwable error) {
        subscriber.onError(error);
    }

    public long requested() {
        return requested.get();
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    public boolean subscribed() {
        return subscriber != null;
    }
}
