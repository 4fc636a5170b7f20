package dev.agentgateway.core.stream;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a stream's deadline (time-out, time limit) even while the provider sends nothing. Tests
 * replace it with one they fire by hand, so no test waits for time to pass.
 */
public interface StreamTimer {

    /** A scheduled task that may still be cancelled. */
    interface Scheduled {
        Scheduled NONE = () -> {
        };

        void cancel();
    }

    /** Runs {@code task} once after {@code delay}, on a thread of the timer's. */
    Scheduled schedule(Duration delay, Runnable task);

    /** One daemon thread for all of a JVM's streams: a deadline's task only cuts a stream off. */
    static StreamTimer shared() {
        return Shared.INSTANCE;
    }

    /** The shared timer; its thread starts with the first deadline. */
    final class Shared implements StreamTimer {
        static final Shared INSTANCE = new Shared();
        private final ScheduledExecutorService executor;

        private Shared() {
            AtomicLong threads = new AtomicLong();
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "agent-gateway-stream-timer-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            pool.setRemoveOnCancelPolicy(true); // a stream that ends early leaves nothing queued behind
            this.executor = pool;
        }

        @Override
        public Scheduled schedule(Duration delay, Runnable task) {
            var future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
