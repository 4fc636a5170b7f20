package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Limit;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Deletes call history older than {@code agent-gateway.persistence.retention.max-age} on the
 * schedule {@code purge-cron}, on a scheduler thread of its own (the application's scheduling is
 * left alone). Rows go in chunks of {@code chunk-size}, one transaction each, so a large backlog
 * never holds long locks. Tenant budget rows of past windows are removed by the same purge.
 */
public class HistoryRetention implements SmartLifecycle {

    /** What one purge deleted. */
    public record PurgeResult(Instant cutoff, int calls, int toolCalls, int budgetWindows) {
    }

    private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

    private final CallRecordRepository calls;
    private final ToolCallRecordRepository toolCalls;
    private final JpaBudgetLedger ledger;
    private final TransactionTemplate transactions;
    private final RetentionSettings settings;
    private final Clock clock;
    private ThreadPoolTaskScheduler scheduler;
    private ScheduledFuture<?> scheduled;
    private volatile PurgeResult lastPurge;

    public HistoryRetention(CallRecordRepository calls, ToolCallRecordRepository toolCalls, JpaBudgetLedger ledgerOrNull,
                            PlatformTransactionManager transactionManager, RetentionSettings settings,
                            Clock clock) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.toolCalls = Objects.requireNonNull(toolCalls, "toolCalls");
        this.ledger = ledgerOrNull;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        new CronTrigger(settings.purgeCron()); // fail at start-up on a bad expression, naming it
    }

    /** Deletes what is older than the maximum age now. */
    public PurgeResult purge() {
        Instant cutoff = clock.instant().minus(settings.maxAge());
        int deletedCalls = deleteInChunks(cutoff, limit -> calls.findIdsOlderThan(cutoff, limit), calls::deleteByIds);
        int deletedToolCalls = deleteInChunks(cutoff, limit -> toolCalls.findIdsOlderThan(cutoff, limit),
                toolCalls::deleteByIds);
        int windows = ledger == null ? 0 : ledger.purgePastWindows(cutoff);
        PurgeResult result = new PurgeResult(cutoff, deletedCalls, deletedToolCalls, windows);
        lastPurge = result;
        if (deletedCalls + deletedToolCalls + windows > 0) {
            log.info("Purged call history older than {}: {} calls, {} tool calls, {} past budget windows", cutoff,
                    deletedCalls, deletedToolCalls, windows);
        }
        return result;
    }

    /** The result of the last purge, or null before the first. */
    public PurgeResult lastPurge() {
        return lastPurge;
    }

    private int deleteInChunks(Instant cutoff, Function<Limit, List<Long>> nextIds, ToIntFunction<List<Long>> delete) {
        int total = 0;
        while (true) {
            List<Long> ids = nextIds.apply(Limit.of(settings.chunkSize()));
            if (ids.isEmpty()) {
                return total;
            }
            Integer deleted = transactions.execute(status -> delete.applyAsInt(ids));
            total += deleted == null ? 0 : deleted;
            if (ids.size() < settings.chunkSize()) {
                return total;
            }
        }
    }

    private void purgeSafely() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn("Call history purge failed, will try again at the next schedule: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ThreadPoolTaskScheduler newScheduler = new ThreadPoolTaskScheduler();
        newScheduler.setPoolSize(1);
        newScheduler.setThreadNamePrefix("agent-gateway-retention-");
        newScheduler.setDaemon(true);
        newScheduler.initialize();
        scheduled = newScheduler.schedule(this::purgeSafely, new CronTrigger(settings.purgeCron(), clock.getZone()));
        scheduler = newScheduler;
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduler.shutdown();
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
