package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.HistoryQueueStats;
import dev.agentgateway.spring.persistence.jpa.CallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.CallRecordRepository;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordEntity;
import dev.agentgateway.spring.persistence.jpa.ToolCallRecordRepository;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.criteria.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The call history in the application's database. {@link #append} and {@link #appendToolCall}
 * only put the record in a bounded queue; a writer thread stores the queue in batches, one
 * transaction per batch, at the latest every {@code flush-interval} and sooner when a batch is
 * full. Batches are JDBC batch inserts ({@link JdbcHistoryWriter}); queries go through Spring
 * Data JPA. When the queue is full the {@link FullQueuePolicy} decides: block the caller (counted
 * by {@link #blockedCount()}), or drop the record and count it. On shutdown ({@link #stop()}, then {@link #destroy()}) the queue is written
 * before the database goes away, and records arriving after that are written directly, so nothing
 * is lost on a normal shutdown.
 *
 * <p>Queries first write what is queued, so a caller sees its own calls. Queue depth and dropped
 * records are exposed for metrics by {@link #queueDepth()} and {@link #droppedCount()}.
 */
public class JpaCallHistoryStore implements CallHistoryStore, HistoryQueueStats, SmartLifecycle, DisposableBean {

    /**
     * Stops after nearly everything else (web server, executors, message listeners) so that calls
     * made while those shut down are still written; the DataSource closes later, at destruction.
     */
    public static final int PHASE = Integer.MIN_VALUE + 1_000_000;

    /** The tables this store needs. */
    public static final List<String> TABLES = List.of("agw_call", "agw_tool_call");

    private static final Logger log = LoggerFactory.getLogger(JpaCallHistoryStore.class);
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("timestamp"), Sort.Order.desc("id"));
    private final CallRecordRepository calls;
    private final ToolCallRecordRepository toolCalls;
    private final TransactionTemplate transactions;
    private final JdbcHistoryWriter jdbcWriter;
    private final HistoryStoreSettings settings;
    private final BlockingQueue<Object> queue;
    private final Object signal = new Object();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong blocked = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastDropWarning = new AtomicLong();
    private volatile boolean accepting = true;
    private volatile boolean running;
    /** Set by the writer thread while it waits for records, so callers wake it only then. */
    private volatile boolean writerWaiting;
    private Thread writer;

    /**
     * @param dataSource          the database the JPA transactions of {@code transactionManager} run on;
     *                            the batches are inserted through its transactional connection
     */
    public JpaCallHistoryStore(CallRecordRepository calls, ToolCallRecordRepository toolCalls, DataSource dataSource,
                               PlatformTransactionManager transactionManager, EntityManagerFactory entityManagerFactory,
                               HistoryStoreSettings settings) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.toolCalls = Objects.requireNonNull(toolCalls, "toolCalls");
        this.transactions = new TransactionTemplate(transactionManager);
        // never join a caller's transaction: history must not roll back with the application's work
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.jdbcWriter = new JdbcHistoryWriter(Objects.requireNonNull(dataSource, "dataSource"), entityManagerFactory,
                settings.storePayloads());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        start();
    }

    // ---- CallHistoryStore ----------------------------------------------------------------------

    @Override
    public void append(CallRecord record) {
        enqueue(Objects.requireNonNull(record, "record"));
    }

    @Override
    public void appendToolCall(ToolCallRecord record) {
        enqueue(Objects.requireNonNull(record, "record"));
    }

    @Override
    public List<CallRecord> find(HistoryQuery query) {
        int max = limitOf(query);
        if (max == 0) {
            return List.of();
        }
        flush();
        List<CallRecordEntity> newestFirst = calls.findBy(matching(query), q -> q.sortBy(NEWEST_FIRST).limit(max).all());
        List<CallRecord> result = new ArrayList<>(newestFirst.size());
        newestFirst.forEach(entity -> result.add(toRecord(entity)));
        Collections.reverse(result);
        return result;
    }

    @Override
    public List<ToolCallRecord> findToolCalls(HistoryQuery query) {
        int max = limitOf(query);
        if (max == 0) {
            return List.of();
        }
        flush();
        List<ToolCallRecordEntity> newestFirst = toolCalls.findBy(matching(query),
                q -> q.sortBy(NEWEST_FIRST).limit(max).all());
        List<ToolCallRecord> result = new ArrayList<>(newestFirst.size());
        newestFirst.forEach(entity -> result.add(toToolRecord(entity)));
        Collections.reverse(result);
        return result;
    }

    /**
     * One page of the calls matching {@code query} (its limit is ignored), newest first unless the
     * page request is sorted otherwise (by {@code timestamp}, {@code agentId}, {@code cost}, …).
     */
    public Page<CallRecord> find(HistoryQuery query, Pageable pageable) {
        flush();
        return calls.findAll(matching(query), sorted(pageable)).map(this::toRecord);
    }

    /** One page of the tool calls matching {@code query} (its limit is ignored), newest first unless sorted otherwise. */
    public Page<ToolCallRecord> findToolCalls(HistoryQuery query, Pageable pageable) {
        flush();
        return toolCalls.findAll(matching(query), sorted(pageable)).map(this::toToolRecord);
    }

    /** Number of calls matching {@code query} (its limit is ignored). */
    public long count(HistoryQuery query) {
        flush();
        return calls.count(matching(query));
    }

    /** Forgets everything: what is queued and every stored call and tool call. */
    @Override
    public void clear() {
        writeLock.lock();
        try {
            queue.clear();
            transactions.executeWithoutResult(status -> {
                calls.deleteAllInBatch();
                toolCalls.deleteAllInBatch();
            });
        } finally {
            writeLock.unlock();
        }
    }

    // ---- figures for metrics -------------------------------------------------------------------

    /** Records waiting to be written. */
    public int queueDepth() {
        return queue.size();
    }

    public int queueCapacity() {
        return settings.queueCapacity();
    }

    /** Records dropped because the queue was full (policy {@link FullQueuePolicy#DROP}). */
    public long droppedCount() {
        return dropped.get();
    }

    /** Appends that waited for room in the full queue (policy {@link FullQueuePolicy#BLOCK}). */
    public long blockedCount() {
        return blocked.get();
    }

    /** Records written to the database. */
    public long writtenCount() {
        return written.get();
    }

    /** Records the database refused (logged with the reason). */
    public long failedCount() {
        return failed.get();
    }

    public FullQueuePolicy fullQueuePolicy() {
        return settings.fullQueuePolicy();
    }

    // ---- writing -------------------------------------------------------------------------------

    /** Writes everything queued now, in the calling thread; returns when it is stored. */
    public void flush() {
        writeLock.lock();
        try {
            List<Object> batch = new ArrayList<>(settings.batchSize());
            while (queue.drainTo(batch, settings.batchSize()) > 0) {
                write(batch);
                batch.clear();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void enqueue(Object item) {
        if (!accepting) {
            write(List.of(item));
            return;
        }
        if (!queue.offer(item)) {
            if (settings.fullQueuePolicy() == FullQueuePolicy.DROP) {
                onDropped();
                return;
            }
            blocked.incrementAndGet();
            wakeWriter();
            try {
                queue.put(item);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                write(List.of(item));
                return;
            }
        }
        if (!accepting) {
            flush(); // stopped while we queued: the writer is gone, write it ourselves
        } else if (writerWaiting && queue.size() >= batchThreshold()) {
            wakeWriter();
        }
    }

    /** Queue depth at which the writer starts at once rather than at the end of the flush interval. */
    private int batchThreshold() {
        return Math.min(settings.batchSize(), settings.queueCapacity());
    }

    private void wakeWriter() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void onDropped() {
        long count = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropWarning.get();
        if ((last == 0 || now - last > TimeUnit.SECONDS.toNanos(10)) && lastDropWarning.compareAndSet(last, now)) {
            log.warn("Call history queue is full ({} records): records are being dropped ({} so far). "
                    + "Raise agent-gateway.persistence.history.queue-capacity or use full-queue-policy=block",
                    settings.queueCapacity(), count);
        }
    }

    private void writerLoop() {
        long waitMillis = Math.max(1, settings.flushInterval().toMillis());
        while (running) {
            try {
                synchronized (signal) {
                    // announced before the queue is looked at: a caller either sees it or has its record counted here
                    writerWaiting = true;
                    try {
                        if (running && queue.size() < batchThreshold()) {
                            signal.wait(waitMillis);
                        }
                    } finally {
                        writerWaiting = false;
                    }
                }
                flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) { // keep writing whatever happens to one batch
                log.error("Call history writer failed: {}", e.toString(), e);
            }
        }
    }

    /** Stores a batch in one transaction; if that fails, record by record, so one bad record costs only itself. */
    private void write(List<Object> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            store(batch);
            written.addAndGet(batch.size());
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                failed.incrementAndGet();
                log.error("Could not write a call history record: {}", batchFailure.toString());
                return;
            }
            log.warn("Could not write {} call history records in one batch ({}); writing them one by one", batch.size(),
                    batchFailure.toString());
            for (Object item : batch) {
                try {
                    store(List.of(item));
                    written.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    log.error("Could not write a call history record: {}", e.toString());
                }
            }
        }
    }

    private void store(List<Object> batch) {
        List<CallRecord> callRecords = new ArrayList<>(batch.size());
        List<ToolCallRecord> toolCallRecords = new ArrayList<>();
        for (Object item : batch) {
            if (item instanceof CallRecord record) {
                callRecords.add(record);
            } else {
                toolCallRecords.add((ToolCallRecord) item);
            }
        }
        transactions.executeWithoutResult(status -> jdbcWriter.insert(callRecords, toolCallRecords));
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        accepting = true;
        running = true;
        writer = new Thread(this::writerLoop, "agent-gateway-history-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops the writer after it has written the queue; later records are written as they come. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wakeWriter();
        Duration timeout = settings.shutdownTimeout();
        try {
            writer.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        accepting = false;
        flush();
        log.debug("Call history writer stopped: {} records written, {} dropped, {} failed", written.get(), dropped.get(),
                failed.get());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        stop();
        flush();
    }

    // ---- mapping -------------------------------------------------------------------------------

    private int limitOf(HistoryQuery query) {
        return query.limit() == null ? settings.maxQueryResults() : query.limit();
    }

    private static Pageable sorted(Pageable pageable) {
        if (pageable.getSort().isSorted()) {
            return pageable;
        }
        return pageable.isUnpaged() ? Pageable.unpaged(NEWEST_FIRST)
                : PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), NEWEST_FIRST);
    }

    /** The query's filters on the attributes both entities share. */
    static <E> Specification<E> matching(HistoryQuery query) {
        return (root, criteria, builder) -> {
            List<Predicate> predicates = new ArrayList<>(6);
            if (query.agentId() != null) {
                predicates.add(builder.equal(root.get("agentId"), query.agentId()));
            }
            if (query.workflowId() != null) {
                predicates.add(builder.equal(root.get("workflowId"), query.workflowId()));
            }
            if (query.tenant() != null) {
                predicates.add(builder.equal(root.get("tenant"), query.tenant()));
            }
            if (query.success() != null) {
                predicates.add(builder.equal(root.get("success"), query.success()));
            }
            if (query.since() != null) {
                predicates.add(builder.greaterThanOrEqualTo(root.<Instant>get("timestamp"), query.since()));
            }
            if (query.until() != null) {
                predicates.add(builder.lessThan(root.<Instant>get("timestamp"), query.until()));
            }
            return builder.and(predicates.toArray(Predicate[]::new));
        };
    }

    private CallRecord toRecord(CallRecordEntity entity) {
        LlmRequest request = PersistenceJson.read(entity.getRequestJson(), LlmRequest.class);
        if (request == null) {
            request = new LlmRequest(entity.getProvider() == null ? "unknown" : entity.getProvider(), entity.getModel(),
                    List.of(), List.of(), null, null);
        }
        LlmResponse response = PersistenceJson.read(entity.getResponseJson(), LlmResponse.class);
        return new CallRecord(entity.getCallId(), entity.getAgentId(), entity.getProvider(), entity.getModel(), request,
                response, entity.getError(), entity.getTimestamp(), entity.isSuccess(), JpaBudgetLedger.normalized(entity.getCost()),
                entity.getLatencyMs(), entity.getWorkflowId(), entity.getStep(), entity.getTenant(), entity.getErrorType(),
                entity.isPriced(), entity.getAttempt(), entity.getRefusedBy(), JpaBudgetLedger.normalized(entity.getOverrun()));
    }

    private ToolCallRecord toToolRecord(ToolCallRecordEntity entity) {
        return new ToolCallRecord(entity.getTimestamp(), entity.getAgentId(), entity.getWorkflowId(), entity.getTenant(),
                entity.getToolCallId(), entity.getToolName(), entity.getArguments(),
                ToolCallOutcome.valueOf(entity.getOutcome()), entity.getResult(), entity.getDurationMs());
    }
}
