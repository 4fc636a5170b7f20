package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.stream.StreamTimer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sits between a provider's publisher and the subscriber of a governed stream: passes the
 * subscriber's demand on to the provider unchanged (so back-pressure is the subscriber's), shows
 * every element to its {@link Governor} as it arrives, and ends in exactly one
 * {@link Governor#settle settle} whichever way the stream ends — the provider completes or fails,
 * the subscriber cancels (or throws), or the stream is {@linkplain #cut cut off} by the governor, a
 * deadline or an operator on any thread. A cut cancels the provider's subscription and reaches the
 * subscriber as an error after the last element it was given.
 *
 * <p>Signals to the subscriber are serialised by a drain loop ({@link SubscriberSignals}), so a cut
 * from another thread never overlaps an element being delivered. Metering and settling share one lock: the governor's state
 * is only ever touched under it, and an element that arrives after the settle is neither metered
 * nor delivered.
 *
 * @param <I> what the provider publishes
 * @param <O> what the subscriber receives
 */
public final class GovernedStream<I, O> implements Flow.Subscriber<I>, Flow.Subscription {

    /** The gateway's side of one stream. Called under the stream's lock, never concurrently. */
    public interface Governor<I, O> {

        /** Meters an element as it arrives; a non-null cut ends the stream once the element is delivered. */
        Cut onElement(I element);

        /** The element as the subscriber receives it. */
        O deliver(I element);

        /**
         * Settles the call, exactly once, however the stream ended.
         *
         * @param cause the provider's failure, the cut's error, or what the subscriber threw; null otherwise
         * @return how the subscriber's stream ends (nothing is delivered after a cancel)
         */
        Ending<O> settle(StreamEnd end, Throwable cause);
    }

    /** Why the gateway ends a stream early, and the typed error the subscriber gets. */
    public record Cut(StreamEnd end, RuntimeException error) {
        public Cut {
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(error, "error");
        }
    }

    /** The end of the subscriber's stream: an optional last element, then completion or {@code error}. */
    public record Ending<O>(O last, Throwable error) {

        public static <O> Ending<O> complete(O last) {
            return new Ending<>(last, null);
        }

        public static <O> Ending<O> failed(Throwable error) {
            return new Ending<>(null, Objects.requireNonNull(error, "error"));
        }
    }

    private final Flow.Subscriber<? super O> downstream;
    private final Governor<I, O> governor;
    private final SubscriberSignals<O> signals;
    private final Object lock = new Object();
    private final AtomicLong pendingDemand = new AtomicLong();
    private volatile Flow.Subscription upstream;
    private StreamTimer.Scheduled deadline = StreamTimer.Scheduled.NONE;
    private boolean ended; // guarded by lock

    public GovernedStream(Flow.Subscriber<? super O> downstream, Governor<I, O> governor) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.governor = Objects.requireNonNull(governor, "governor");
        this.signals = new SubscriberSignals<>(downstream, thrown -> end(StreamEnd.CANCELLED, thrown));
    }

    /** Gives the subscriber this stream as its subscription; call before subscribing it to the provider. */
    public void start() {
        try {
            downstream.onSubscribe(this);
        } catch (RuntimeException | Error thrown) {
            end(StreamEnd.CANCELLED, thrown);
        }
    }

    /**
     * Cuts the stream once {@code timer} has waited {@code delay}, unless it ended before; the cut is
     * made when the deadline fires (so its error can say how late it is).
     */
    public void deadline(StreamTimer timer, Duration delay, Supplier<Cut> cut) {
        StreamTimer.Scheduled scheduled = timer.schedule(delay, () -> {
            if (!isEnded()) {
                cut(cut.get());
            }
        });
        synchronized (lock) {
            if (ended) {
                scheduled.cancel();
            } else {
                deadline = deadline == StreamTimer.Scheduled.NONE ? scheduled : both(deadline, scheduled);
            }
        }
    }

    private static StreamTimer.Scheduled both(StreamTimer.Scheduled first, StreamTimer.Scheduled second) {
        return () -> {
            first.cancel();
            second.cancel();
        };
    }

    /**
     * Ends the stream early, from any thread: the provider's subscription is cancelled, the call
     * settled, the subscriber given the cut's error after what it was already given.
     *
     * @return false when the stream had already ended
     */
    public boolean cut(Cut cut) {
        return end(cut.end(), cut.error());
    }

    /** Whether the stream has ended (and been settled). */
    public boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    // ---- from the provider ---------------------------------------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (upstream != null) {
            subscription.cancel(); // one provider per stream (Reactive Streams rule 2.5)
            return;
        }
        upstream = subscription;
        if (signals.isCancelled() || isEnded()) {
            subscription.cancel();
            return;
        }
        requestPending(subscription);
    }

    @Override
    public void onNext(I element) {
        synchronized (lock) {
            if (ended) {
                return; // arrived after the settle: neither metered nor delivered
            }
            try {
                Cut cut = governor.onElement(element);
                signals.offer(governor.deliver(element));
                if (cut != null) {
                    // settled before the element is delivered, so nothing a synchronous provider sends
                    // while the subscriber handles it gets through
                    endLocked(cut.end(), cut.error(), false);
                }
            } catch (RuntimeException | Error failure) {
                endLocked(StreamEnd.FAILED, failure, false);
            }
        }
        signals.drain();
    }

    @Override
    public void onError(Throwable failure) {
        end(StreamEnd.FAILED, failure, true);
    }

    @Override
    public void onComplete() {
        end(StreamEnd.COMPLETED, null, true);
    }

    // ---- from the subscriber -------------------------------------------------------------------

    @Override
    public void request(long n) {
        if (n <= 0) {
            IllegalArgumentException invalid = new IllegalArgumentException(
                    "request(n) needs a positive n, was " + n + " (Reactive Streams rule 3.9)");
            synchronized (lock) {
                if (!ended) {
                    endLocked(StreamEnd.CANCELLED, invalid, false);
                    signals.terminate(Ending.failed(invalid)); // the subscriber is told, whatever the settle says (rule 3.9)
                }
            }
            signals.drain();
            return;
        }
        addCapped(pendingDemand, n);
        Flow.Subscription subscription = upstream;
        if (subscription != null) {
            requestPending(subscription);
        }
    }

    @Override
    public void cancel() {
        signals.cancel();
        end(StreamEnd.CANCELLED, null);
    }

    // ---- ending --------------------------------------------------------------------------------

    private boolean end(StreamEnd end, Throwable cause) {
        return end(end, cause, false);
    }

    /** @param providerDone whether the provider itself ended the stream (so there is nothing to cancel) */
    private boolean end(StreamEnd end, Throwable cause, boolean providerDone) {
        synchronized (lock) {
            if (ended) {
                return false;
            }
            endLocked(end, cause, providerDone);
        }
        signals.drain();
        return true;
    }

    private void endLocked(StreamEnd end, Throwable cause, boolean providerDone) {
        ended = true;
        deadline.cancel();
        if (!providerDone) {
            cancelUpstream();
        }
        Ending<O> ending;
        try {
            ending = governor.settle(end, cause);
        } catch (RuntimeException | Error failure) {
            ending = Ending.failed(failure);
        }
        signals.terminate(ending == null ? Ending.complete(null) : ending);
    }

    private void cancelUpstream() {
        Flow.Subscription subscription = upstream;
        if (subscription != null) {
            try {
                subscription.cancel();
            } catch (RuntimeException ignored) {
                // a provider that fails to cancel is still not asked for more (rule 3.15)
            }
        }
    }

    private void requestPending(Flow.Subscription subscription) {
        long demand = pendingDemand.getAndSet(0);
        if (demand > 0 && !signals.isCancelled()) {
            subscription.request(demand);
        }
    }

    private static void addCapped(AtomicLong counter, long n) {
        counter.getAndUpdate(current -> {
            long sum = current + n;
            return sum < 0 ? Long.MAX_VALUE : sum;
        });
    }
}
