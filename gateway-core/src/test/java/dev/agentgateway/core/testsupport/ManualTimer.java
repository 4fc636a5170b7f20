package dev.agentgateway.core.testsupport;

import dev.agentgateway.core.stream.StreamTimer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stream timer whose deadlines the test fires by hand. */
public final class ManualTimer implements StreamTimer {

    /** One scheduled deadline. */
    public static final class Task implements Scheduled {
        private final Duration delay;
        private final Runnable task;
        private volatile boolean cancelled;

        Task(Duration delay, Runnable task) {
            this.delay = delay;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        public boolean cancelled() {
            return cancelled;
        }

        public Duration delay() {
            return delay;
        }
    }

    private final List<Task> tasks = new CopyOnWriteArrayList<>();

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(delay, task);
        tasks.add(scheduled);
        return scheduled;
    }

    /** Runs every deadline not cancelled, as if its time had come. */
    public void fireAll() {
        for (Task task : tasks) {
            if (!task.cancelled) {
                task.task.run();
            }
        }
    }

    public List<Task> tasks() {
        return List.copyOf(tasks);
    }
}
