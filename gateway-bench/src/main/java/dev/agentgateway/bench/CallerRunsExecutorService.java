package dev.agentgateway.bench;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task on the thread that submits it. Given to a gateway as its tool executor, tools
 * run inline on the caller's thread: the benchmark {@code e3} uses it to measure what handing
 * each tool call to another thread costs. (The gateway's tool time-out cannot interrupt a tool
 * that runs inline, so this is a measurement device, not a recommended setting.)
 */
final class CallerRunsExecutorService extends AbstractExecutorService {

    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
