package dev.agentgateway.spring.provider;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where provider calls with a deadline run, so that the caller can stop waiting when the
 * per-call time-out is reached. Daemon threads, created on demand and dropped after a minute idle.
 */
final class ProviderCallExecutor {

    private static final AtomicLong THREADS = new AtomicLong();

    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "agent-gateway-provider-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    private ProviderCallExecutor() {
    }

    static ExecutorService pool() {
        return POOL;
    }
}
