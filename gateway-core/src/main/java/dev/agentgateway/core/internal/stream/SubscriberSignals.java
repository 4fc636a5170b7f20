package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.internal.stream.GovernedStream.Ending;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The subscriber's side of a {@link GovernedStream}: the elements and the terminal signal it is
 * owed, delivered by a drain loop on one thread at a time, so a cut from another thread never
 * overlaps an element being delivered. Apart from {@link GovernedStream} because it knows nothing
 * of the provider, the governor or the settle: it only serialises what it is given.
 *
 * @param <O> what the subscriber receives
 */
final class SubscriberSignals<O> {

    private final Flow.Subscriber<? super O> downstream;
    private final Consumer<Throwable> onThrown;
    private final Queue<O> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private volatile Ending<O> terminal;

    /** @param onThrown told when the subscriber throws from {@code onNext}, which counts as its cancel */
    SubscriberSignals(Flow.Subscriber<? super O> downstream, Consumer<Throwable> onThrown) {
        this.downstream = downstream;
        this.onThrown = onThrown;
    }

    /** Queues an element for the subscriber; {@link #drain} delivers it. */
    void offer(O element) {
        queue.offer(element);
    }

    /** How the subscriber's stream ends, after what is queued; the last one set wins. */
    void terminate(Ending<O> ending) {
        terminal = ending;
    }

    /** The subscriber cancelled (or threw): nothing more is delivered. */
    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /**
     * Delivers what is queued, then the terminal signal, on one thread at a time. Once cancelled,
     * nothing more is delivered (and the drain is never entered again).
     */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            O element;
            while ((element = queue.poll()) != null) {
                if (cancelled) {
                    queue.clear();
                    return;
                }
                if (!deliver(element)) {
                    return;
                }
            }
            Ending<O> ending = terminal;
            if (ending != null && queue.isEmpty()) {
                finish(ending);
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private boolean deliver(O element) {
        try {
            downstream.onNext(element);
            return true;
        } catch (RuntimeException | Error thrown) {
            // a subscriber that throws has cancelled (Reactive Streams rule 2.13)
            cancelled = true;
            queue.clear();
            onThrown.accept(thrown);
            return false;
        }
    }

    private void finish(Ending<O> ending) {
        if (cancelled) {
            return;
        }
        cancelled = true; // nothing after the terminal signal
        if (ending.last() != null && !deliver(ending.last())) {
            return;
        }
        if (ending.error() != null) {
            downstream.onError(ending.error());
        } else {
            downstream.onComplete();
        }
    }
}
