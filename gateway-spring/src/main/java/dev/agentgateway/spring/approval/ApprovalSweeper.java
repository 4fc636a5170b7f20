package dev.agentgateway.spring.approval;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code interval}, on a thread of its own: rejects approvals past their time-out and resumes
 * the runs that completes, and takes over runs whose resuming instance died
 * ({@link ApprovalResumer#resumeClaimable}). Without it an undecided approval would only expire when
 * someone looked at it. An interval of zero turns it off.
 */
public class ApprovalSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApprovalSweeper.class);
    private static final int RUNS_PER_SWEEP = 100;

    private final ApprovalResumer resumer;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public ApprovalSweeper(ApprovalResumer resumer, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the sweep interval must not be negative, was " + interval);
        }
        this.resumer = resumer;
        this.interval = interval;
    }

    /** One sweep, as the timer runs it. */
    public int sweep() {
        try {
            return resumer.resumeClaimable(RUNS_PER_SWEEP);
        } catch (RuntimeException e) {
            log.warn("Approval sweep failed: {}", e.toString());
            return 0;
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler == null && !interval.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "agent-gateway-approvals");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
