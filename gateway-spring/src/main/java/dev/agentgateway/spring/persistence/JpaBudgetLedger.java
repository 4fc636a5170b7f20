package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.persistence.jpa.BudgetEntity;
import dev.agentgateway.spring.persistence.jpa.BudgetKey;
import dev.agentgateway.spring.persistence.jpa.BudgetRepository;
import dev.agentgateway.spring.persistence.jpa.LeaseEntity;
import dev.agentgateway.spring.persistence.jpa.LeaseRepository;
import dev.agentgateway.spring.persistence.jpa.LedgerEpochRepository;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.limits.StepLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BudgetLedger} in the database, shared by every gateway instance that uses it: several
 * application instances on one PostgreSQL (or H2) enforce one set of limits.
 *
 * <p><b>Slices.</b> An instance does not go to the database for every call. For a scope with a
 * limit it leases a <em>slice</em> of the scope's remaining steps and budget: one transaction that
 * locks the scope's row, sizes the slice from its figures (a sixteenth of what is left, at most
 * {@code max-slice-calls} calls, at least the one call asking), and adds it to the row's reserved
 * figures with one conditional {@code UPDATE} that holds only within the limit. Reservations are then
 * served from the slice in memory; settled calls are written behind, every {@code write-interval}
 * and whenever the instance next touches the row. As the limit nears, slices shrink down to a single
 * call, so committed steps never pass a step limit and committed spend never passes a budget by
 * more than the calls' own over-runs, however many instances there are. A slice is a lease
 * (table {@code agw_lease}, lease id ending in {@code /slice}) that the instance renews while it
 * lives; what it has not used it gives back when it has been idle for {@code slice-idle-time}, at
 * shutdown, when a call under different limits comes, and when another instance was refused while
 * slices were out: the refused instance counts up the row's {@code slices_wanted}, waits up to two
 * write intervals, and every holder gives back its unused part when it next writes and sees the
 * count grow. If an instance dies, its slices expire with their leases and any instance gives them
 * back, as it does for reservations (below); the usage of calls it settled in its last write
 * interval is lost with it.
 *
 * <p>Scopes without limits need nothing reserved: their usage is only written behind. Workflow runs
 * keep one reservation per call in the database (below), because each call's step in its run must be
 * numbered once across instances.
 *
 * <p><b>Per-call reservations</b> (workflow runs): one transaction of single conditional
 * {@code UPDATE} statements, one per scope, each adding one step and the estimate only if that
 * scope's limits still hold ({@link BudgetRepository#reserve}). If any scope's update changes no
 * row the whole transaction rolls back, and only then are the rows read to tell which limit refused
 * the call. Transactions change rows in one fixed order of scopes, so they cannot deadlock.
 *
 * <p>Tenant usage can start again every day or month ({@link BudgetWindow}): each window has its
 * own row, keyed by the window. A reservation is settled in the window it was taken in.
 *
 * <p>{@link #reset()} moves the ledger to a new epoch (table {@code agw_ledger_epoch}) and deletes
 * every row; reservations of an older epoch change nothing when they come back. Other instances
 * notice the new epoch when they next write (within one write interval) and drop their slices.
 *
 * <p><b>Leases.</b> Every lease row names its instance and expires after the lease time, which is
 * derived from the longest provider time-out. If its JVM dies, the lease outlives it; once it has
 * expired, any instance ends it and gives its steps and money back to the scope: when a reservation
 * would otherwise be refused, and at most once per lease time in passing. Ending a lease row is one
 * {@code DELETE} whose row count says who ended it, so the owner and several reclaiming instances
 * give it back exactly once. A call that outlives its lease is still counted with its actual cost
 * when it is settled. An instance serves a slice only while its lease is at most half the lease
 * time old; an instance cut off from the database longer than that stops serving it.
 */
public class JpaBudgetLedger implements BudgetLedger, AutoCloseable {

    /** The tables this ledger needs. */
    public static final List<String> TABLES = List.of("agw_budget", "agw_ledger_epoch", "agw_lease");

    /** Amounts are kept to this many decimal places of a US dollar. */
    public static final int SCALE = 12;

    /** Added to the longest call time-out to give the lease time: hooks, settling, clocks of instances a little apart. */
    public static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(JpaBudgetLedger.class);
    /** Every transaction changes rows in this order of scopes, so that no two can wait for each other. */
    private static final Comparator<LimitScope> SCOPE_ORDER = Comparator.comparing(LimitScope::type)
            .thenComparing(LimitScope::id);
    private static final Comparator<ScopedLimit> LOCK_ORDER = Comparator.comparing(ScopedLimit::scope, SCOPE_ORDER);
    /** Expired leases reclaimed in one sweep at most. */
    private static final int SWEEP_LIMIT = 500;
    /** A slice takes at most this share of what a limit leaves, so that other instances find some left. */
    private static final int SLICE_SHARE = 16;
    private static final BigDecimal SLICE_SHARE_DECIMAL = BigDecimal.valueOf(SLICE_SHARE);

    private final BudgetRepository budgets;
    private final LedgerEpochRepository epochs;
    private final LeaseRepository leases;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BudgetWindow tenantWindow;
    private final ZoneId windowZone;
    private final int maxAttempts;
    private final int maxSliceCalls;
    private final Duration writeInterval;
    private final long sliceIdleMillis;
    private final AtomicLong ids = new AtomicLong();
    private final String instanceId;
    /** Lease ids are this, a slash and the reservation id: unique even if two instances were given one instance id. */
    private final String leasePrefix;
    private final String sliceLeaseId;
    private final Duration leaseTime;
    /** Epoch milliseconds after which the next reservation first reclaims expired leases. */
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    /** What this instance has on each ledger row it touched. */
    private final Map<RowKey, SliceShare> shares = new ConcurrentHashMap<>();
    /** The reservations not yet settled: what each took from which share, and its window. */
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    /** Threads of this instance create a missing row one at a time, so only other instances can race for it. */
    private final Object[] rowCreationLocks = new Object[64];
    private final ScheduledExecutorService writer;
    private volatile Long cachedEpoch;
    private volatile boolean closed;

    /** A ledger row as this instance keys its shares: the scope and its window ({@link BudgetKey#NO_WINDOW} for most). */
    private record RowKey(LimitScope scope, String window) {
    }

    /** What one reservation took from one share, in the share's generation then. */
    private record Taken(SliceShare share, long generation) {
    }

    /** A reservation not yet settled: per scope of the reservation (in its order) its share, or null for a per-call scope. */
    private record Open(Taken[] taken, String window, boolean perCall) {
    }

    /**
     * @param longestCallTimeout the longest time one provider call may take; the lease time is this
     *                           plus {@link #LEASE_MARGIN} unless the settings give a lease time
     */
    public JpaBudgetLedger(BudgetRepository budgets, LedgerEpochRepository epochs, LeaseRepository leases,
                           PlatformTransactionManager transactionManager, BudgetLedgerSettings settings,
                           Duration longestCallTimeout, Clock clock) {
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.epochs = Objects.requireNonNull(epochs, "epochs");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.leaseTime = settings.leaseTime() != null ? settings.leaseTime()
                : Objects.requireNonNull(longestCallTimeout, "longestCallTimeout").plus(LEASE_MARGIN);
        this.instanceId = settings.instanceId() != null && !settings.instanceId().isBlank() ? settings.instanceId()
                : ManagementFactory.getRuntimeMXBean().getName();
        this.leasePrefix = instanceId + "/" + Long.toHexString(new SecureRandom().nextLong());
        this.sliceLeaseId = leasePrefix + "/slice";
        this.transactions = new TransactionTemplate(transactionManager);
        // a reservation must be visible to every instance at once, whatever transaction the caller is in
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tenantWindow = settings.tenantWindow();
        this.windowZone = settings.windowZone();
        this.maxAttempts = settings.maxReserveAttempts();
        this.maxSliceCalls = settings.maxSliceCalls();
        this.writeInterval = settings.writeInterval() == null ? Duration.ZERO : settings.writeInterval();
        this.sliceIdleMillis = settings.sliceIdleTime().toMillis();
        for (int i = 0; i < rowCreationLocks.length; i++) {
            rowCreationLocks[i] = new Object();
        }
        this.writer = writeInterval.isZero() || writeInterval.isNegative() ? null : startWriter(writeInterval);
    }

    private ScheduledExecutorService startWriter(Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "agent-gateway-ledger-writer");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::writeInBackground, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return executor;
    }

    // ---- reserve -------------------------------------------------------------------------------

    @Override
    public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
        BigDecimal requested = estimate == null ? BigDecimal.ZERO : estimate;
        BigDecimal amount = requested.setScale(SCALE, RoundingMode.CEILING);
        String window = currentTenantWindow();
        sweepWhenDue();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long epoch = epoch();
            long id = ids.incrementAndGet();
            Taken[] taken = new Taken[scopes.size()];
            try {
                List<ScopedLimit> perCall = null;
                for (int i = 0; i < scopes.size(); i++) {
                    ScopedLimit scoped = scopes.get(i);
                    if (scoped.scope().type() == LimitScope.Type.WORKFLOW) {
                        perCall = perCall == null ? new ArrayList<>(1) : perCall;
                        perCall.add(scoped);
                    } else {
                        taken[i] = take(scoped, window, epoch, amount, agentId, requested);
                    }
                }
                long runStep = perCall == null ? 0 : reservePerCall(agentId, perCall, id, epoch, amount, requested, window);
                open.put(id, new Open(taken, window, perCall != null));
                List<LimitScope> reserved = new ArrayList<>(scopes.size());
                for (ScopedLimit scoped : scopes) {
                    reserved.add(scoped.scope());
                }
                return new Reservation(id, epoch, agentId, reserved, amount, runStep);
            } catch (EpochMoved moved) {
                giveBackAll(taken, amount);
                log.debug("The ledger was reset while agent '{}' reserved; trying again", agentId);
            } catch (ExecutionLimitException refused) {
                giveBackAll(taken, amount);
                writeShares(scopes, window); // settled usage of the refused call's scopes is in the database when it is refused
                throw stepLimitsFirst(agentId, scopes, window, refused);
            } catch (RuntimeException e) {
                giveBackAll(taken, amount);
                throw e;
            }
        }
        throw new GatewayException("Could not reserve a step for agent '" + agentId + "' after " + maxAttempts
                + " attempts: the budget ledger kept changing under it");
    }

    /**
     * One step and {@code amount} from this instance's share of a scope: from its slice in memory when
     * it has enough, else from a new slice; refused with the limit's figures when the row has none
     * left, after waiting a little for other instances to give back what they hold unused.
     */
    private Taken take(ScopedLimit scoped, String window, long epoch, BigDecimal amount, String agentId, BigDecimal requested) {
        ScopeLimits limits = scoped.limits();
        long waitedUntil = 0;
        while (true) {
            SliceShare share = shareOf(scoped.scope(), window, epoch);
            synchronized (share) {
                if (share.retired) {
                    continue;
                }
                checkEpoch(share, epoch);
                long now = clock.millis();
                if (limits.isUnlimited()) {
                    share.take(amount, now);
                    return new Taken(share, share.generation);
                }
                if (share.canServe(limits, amount, now)) {
                    share.take(amount, now);
                    Taken taken = new Taken(share, share.generation);
                    if (writer != null && !share.refilling && share.runsLow(limits)) {
                        share.refilling = true;
                        refillInBackground(share, limits, amount);
                    }
                    return taken;
                }
            }
            SyncResult result = sync(share, limits, amount, false, false);
            if (result == null || !result.refused()) {
                continue; // a new slice (or another thread's), or the share was replaced: take from it
            }
            if (reclaimExpiredLeases() > 0) {
                continue; // a dead instance's lease may be what refused it
            }
            long now = System.nanoTime();
            if (result.othersHold() && writer != null) {
                if (waitedUntil == 0) {
                    waitedUntil = now + 2 * writeInterval.toNanos() + TimeUnit.MILLISECONDS.toNanos(20);
                }
                if (now < waitedUntil) {
                    pause(Math.max(1, writeInterval.toMillis() / 2));
                    continue;
                }
            }
            throw result.refusal(scoped, agentId, requested);
        }
    }

    /** Tops the slice up on the writer's thread before it runs out, so that calls do not wait for it. */
    private void refillInBackground(SliceShare share, ScopeLimits limits, BigDecimal amount) {
        try {
            writer.execute(() -> {
                try {
                    sync(share, limits, amount, false, true);
                } catch (RuntimeException e) {
                    log.debug("Could not top up the slice of {} ahead of time; the next call that needs it will", share.scope, e);
                } finally {
                    synchronized (share) {
                        share.refilling = false;
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            share.refilling = false; // (under the caller's monitor) shutting down: calls top up themselves
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted while waiting for other instances to give back budget", e);
        }
    }

    private SliceShare shareOf(LimitScope scope, String tenantWindowKey, long epoch) {
        RowKey key = new RowKey(scope, windowOf(scope.type(), tenantWindowKey));
        SliceShare share = shares.get(key);
        if (share == null) {
            share = shares.computeIfAbsent(key, k -> new SliceShare(
                    new BudgetKey(scope.type().name(), scope.id(), k.window()), scope, epoch));
        }
        return share;
    }

    /** Brings a share to the ledger's epoch; a share already in a newer one means the caller's epoch is stale. */
    private void checkEpoch(SliceShare share, long epoch) {
        if (share.epoch < epoch) {
            share.resetTo(epoch);
        } else if (share.epoch > epoch) {
            throw new EpochMoved();
        }
    }

    private void giveBackAll(Taken[] taken, BigDecimal amount) {
        for (Taken take : taken) {
            if (take != null) {
                synchronized (take.share()) {
                    take.share().giveBack(take.generation(), amount, false);
                }
            }
        }
    }

    /**
     * The refusal to report: as the in-memory ledger does, a step limit reached on any scope of the
     * call (in the call's order) comes before a budget.
     */
    private ExecutionLimitException stepLimitsFirst(String agentId, List<ScopedLimit> scopes, String window,
                                                    ExecutionLimitException refused) {
        for (ScopedLimit scoped : scopes) {
            Integer maxSteps = scoped.limits().maxSteps();
            if (maxSteps == null) {
                continue;
            }
            if (refused instanceof StepLimitExceededException && refused.scope().equals(scoped.scope())) {
                return refused;
            }
            long used = stepsUsed(scoped, window);
            if (used + 1 > maxSteps) {
                return new StepLimitExceededException(scoped.scope(), agentId, used, maxSteps);
            }
        }
        return refused;
    }

    /** Committed and reserved steps of a scope as this instance knows them, its unused slice not counted. */
    private long stepsUsed(ScopedLimit scoped, String window) {
        LimitScope scope = scoped.scope();
        String rowWindow = windowOf(scope.type(), window);
        Optional<BudgetEntity> row = budgets.findByKey(new BudgetKey(scope.type().name(), scope.id(), rowWindow));
        long used = row.map(r -> r.getCommittedSteps() + r.getReservedSteps()).orElse(0L);
        SliceShare share = scope.type() == LimitScope.Type.WORKFLOW ? null : shares.get(new RowKey(scope, rowWindow));
        if (share != null) {
            synchronized (share) {
                used += share.pendingSteps - share.writtenSteps + share.inFlightSteps;
            }
        }
        return used;
    }

    // ---- slices: the one place that writes a share to its row -----------------------------------

    private enum SyncStatus { DONE, ROW_MISSING }

    /**
     * What one write of a share did. {@code seen} is the row afterwards; for a refused slice, its
     * committed and reserved figures after this instance gave back its unused part.
     */
    private record SyncResult(SyncStatus status, boolean lost, long held, BigDecimal heldAmount, ScopeLimits limits,
                              boolean refused, boolean stepsRefused, boolean othersHold, ScopeUsage seen, long wanted,
                              boolean wantedElsewhere, long grantSteps, BigDecimal grantAmount) {

        static final SyncResult ROW_MISSING = new SyncResult(SyncStatus.ROW_MISSING, false, 0, BigDecimal.ZERO, null,
                false, false, false, null, 0, false, 0, BigDecimal.ZERO);

        ExecutionLimitException refusal(ScopedLimit scoped, String agentId, BigDecimal requested) {
            if (stepsRefused) {
                return new StepLimitExceededException(scoped.scope(), agentId, seen.committedSteps() + seen.reservedSteps(),
                        scoped.limits().maxSteps());
            }
            return new BudgetExceededException(scoped.scope(), agentId,
                    normalized(seen.committedCost().add(seen.reservedCost())), requested, scoped.limits().maxBudget());
        }
    }

    /**
     * Writes a share to its row in one transaction: the usage of calls settled since the last write,
     * the slice as it is now, renewing its lease; gives back the unused part when {@code giveBack},
     * or when {@code want} comes under other limits; and when {@code want} is given, leases a new
     * slice for one call of {@code amount} under those limits, or reports that the row has none left
     * (giving back the unused part). One write at a time per share; the share's monitor is held only
     * before and after the transaction, and calls are served meanwhile unless the write may give back
     * or top up. Returns null when there was nothing to do: the share was replaced, or another
     * write already made room for {@code want}.
     */
    private SyncResult sync(SliceShare share, ScopeLimits want, BigDecimal amount, boolean giveBack, boolean ahead) {
        share.io.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                SliceShare.Snapshot snapshot;
                boolean rowExists;
                synchronized (share) {
                    if (share.retired || (want != null && (ahead ? !want.equals(share.limits)
                            : share.canServe(want, amount, clock.millis())))) {
                        return null;
                    }
                    // a top-up ahead of time only adds: calls go on taking from the slice meanwhile
                    share.frozen = giveBack || (want != null && !ahead);
                    snapshot = share.takeSnapshot();
                    rowExists = share.rowExists;
                }
                SyncResult result;
                Instant now = clock.instant();
                try {
                    if (!rowExists) {
                        createRowOf(share, snapshot.epoch());
                    }
                    result = transactions.execute(status -> {
                        SyncResult inside = syncInTransaction(share, snapshot, want, amount, giveBack, ahead, now);
                        if (inside.status() != SyncStatus.DONE) {
                            status.setRollbackOnly();
                        }
                        return inside;
                    });
                } catch (RuntimeException e) {
                    synchronized (share) {
                        share.restore(snapshot);
                        share.frozen = false;
                    }
                    throw e;
                }
                synchronized (share) {
                    share.frozen = false;
                    if (result != null && result.status() == SyncStatus.DONE) {
                        if (result.lost()) {
                            log.warn("The slice of {} held by this instance ('{}') had expired and was reclaimed by another "
                                    + "instance; calls in flight on it are counted when settled", share.scope, instanceId);
                        }
                        share.written(snapshot, result.lost(), result.held(), result.heldAmount(), result.limits(),
                                result.seen(), result.wanted(), now.toEpochMilli() + leaseTime.toMillis() / 2);
                        share.granted(result.grantSteps(), result.grantAmount());
                        return result;
                    }
                    share.restore(snapshot);
                }
                if (attempt >= maxAttempts) {
                    throw new GatewayException("Could not write the budget ledger row " + share.key + " after " + maxAttempts
                            + " attempts: it kept disappearing (another instance forgetting or resetting it)");
                }
                repairRow(share);
            }
        } finally {
            share.io.unlock();
        }
    }

    /** Creates the share's row, never in an epoch another instance has left. */
    private void createRowOf(SliceShare share, long epoch) {
        long current = readEpoch();
        if (current != epoch) {
            cachedEpoch = current;
            synchronized (share) {
                if (share.epoch < current) {
                    share.resetTo(current);
                }
            }
            throw new EpochMoved();
        }
        createRow(share.key, epoch);
    }

    /** The row was missing or of another epoch: creates it, renews it, or notices a reset by another instance. */
    private void repairRow(SliceShare share) {
        Optional<BudgetEntity> row = budgets.findByKey(share.key);
        long current = readEpoch();
        synchronized (share) {
            if (current != share.epoch) {
                cachedEpoch = current;
                if (share.epoch < current) {
                    share.resetTo(current);
                }
                throw new EpochMoved();
            }
            if (row.isEmpty()) {
                share.rowExists = false;
                return;
            }
        }
        if (row.get().getEpoch() < current) {
            transactions.executeWithoutResult(status -> budgets.renew(share.key.getScopeType(), share.key.getScopeId(),
                    share.key.getWindowKey(), row.get().getEpoch(), current, clock.instant()));
        }
    }

    private SyncResult syncInTransaction(SliceShare share, SliceShare.Snapshot snapshot, ScopeLimits want, BigDecimal amount,
                                         boolean giveBack, boolean ahead, Instant now) {
        BudgetKey key = share.key;
        long epoch = snapshot.epoch();
        Instant expiresAt = now.plus(leaseTime);
        // renewing the lease first also tells whether another instance reclaimed it meanwhile
        boolean lost = snapshot.holdsLease() && leases.hold(sliceLeaseId, key.getScopeType(), key.getScopeId(),
                key.getWindowKey(), epoch, snapshot.writtenSteps(), snapshot.writtenAmount(), expiresAt) == 0;
        Optional<BudgetEntity> locked = budgets.lockByKey(key);
        if (locked.isEmpty() || locked.get().getEpoch() != epoch) {
            return SyncResult.ROW_MISSING;
        }
        BudgetEntity row = locked.get();
        long held = lost ? 0 : snapshot.heldSteps();
        BigDecimal heldAmount = lost ? BigDecimal.ZERO : snapshot.heldAmount();
        long inFlight = lost ? 0 : snapshot.inFlightSteps();
        BigDecimal inFlightAmount = lost ? BigDecimal.ZERO : snapshot.inFlightAmount();
        long written = lost ? 0 : snapshot.writtenSteps();
        BigDecimal writtenAmount = lost ? BigDecimal.ZERO : snapshot.writtenAmount();
        // the row's figures once this write is done
        long committed = row.getCommittedSteps() + snapshot.pendingSteps();
        BigDecimal committedCost = row.getCommittedCost().add(snapshot.pendingCost());
        long reserved = row.getReservedSteps() - written + held;
        BigDecimal reservedCost = row.getReservedCost().subtract(writtenAmount).add(heldAmount);

        boolean wantedElsewhere = snapshot.wantedSeen() >= 0 && row.getSlicesWanted() > snapshot.wantedSeen();
        boolean returnFree = giveBack || (want != null && !ahead && !want.equals(snapshot.limits()));
        if (want != null && !ahead && !returnFree && !fits(want, committed, reserved, committedCost, reservedCost,
                stepsNeeded(want, held, inFlight), amountNeeded(want, heldAmount, inFlightAmount, amount))) {
            returnFree = true; // it cannot serve this call, and others may need it
        }
        if (returnFree) {
            if (held > inFlight) {
                reserved -= held - inFlight;
                held = inFlight;
            }
            BigDecimal free = heldAmount.subtract(inFlightAmount);
            if (free.signum() > 0) {
                reservedCost = reservedCost.subtract(free);
                heldAmount = inFlightAmount;
            }
        }
        boolean refused = false;
        boolean stepsRefused = false;
        long wanted = 0;
        long grantSteps = 0;
        BigDecimal grantAmount = BigDecimal.ZERO;
        if (want != null) {
            // ahead of time: one more call's worth at least, however much is free
            long needSteps = ahead ? (want.maxSteps() == null ? 0 : 1) : stepsNeeded(want, held, inFlight);
            BigDecimal needAmount = ahead ? (want.maxBudget() == null ? null : amount)
                    : amountNeeded(want, heldAmount, inFlightAmount, amount);
            if (fits(want, committed, reserved, committedCost, reservedCost, needSteps, needAmount)) {
                if (needSteps > 0) {
                    long left = want.maxSteps() - committed - reserved;
                    grantSteps = Math.min(left, Math.max(needSteps, Math.min(maxSliceCalls, left / SLICE_SHARE)));
                }
                if (needAmount != null) {
                    grantAmount = sliceAmount(want.maxBudget().subtract(committedCost).subtract(reservedCost), needAmount,
                            amount, grantSteps > 0 ? grantSteps : maxSliceCalls);
                }
                reserved += grantSteps;
                held += grantSteps;
                reservedCost = reservedCost.add(grantAmount);
                heldAmount = heldAmount.add(grantAmount);
            } else if (!ahead) {
                refused = true;
                stepsRefused = want.maxSteps() != null && committed + reserved + needSteps > want.maxSteps();
                if (reserved - held > 0 || reservedCost.subtract(heldAmount).signum() > 0) {
                    wanted = 1; // others hold some: ask them to give back what they do not use
                }
            }
        }
        long deltaReserved = reserved - row.getReservedSteps();
        BigDecimal deltaReservedCost = reservedCost.subtract(row.getReservedCost());
        if (deltaReserved != 0 || deltaReservedCost.signum() != 0 || snapshot.hasPending() || wanted != 0) {
            int updated = budgets.write(key.getScopeType(), key.getScopeId(), key.getWindowKey(), epoch,
                    deltaReserved, deltaReservedCost, snapshot.pendingSteps(), snapshot.pendingCost(), snapshot.pendingInput(),
                    snapshot.pendingOutput(), snapshot.pendingFailed(), wanted,
                    grantSteps > 0, grantSteps > 0 ? want.maxSteps() : 0,
                    grantAmount.signum() > 0, grantAmount.signum() > 0 ? want.maxBudget() : BigDecimal.ZERO, now);
            if (updated == 0) {
                throw new IllegalStateException("The locked ledger row " + key + " refused a slice sized from its own figures");
            }
        }
        writeLease(share, epoch, snapshot.holdsLease() && !lost, held, heldAmount, expiresAt, now);
        ScopeUsage seen = new ScopeUsage(share.scope, committed, reserved, committedCost, reservedCost,
                row.getInputTokens() + snapshot.pendingInput(), row.getOutputTokens() + snapshot.pendingOutput(),
                row.getFailedCalls() + snapshot.pendingFailed());
        return new SyncResult(SyncStatus.DONE, lost, held, heldAmount, want != null ? want : snapshot.limits(), refused,
                stepsRefused, reserved - held > 0 || reservedCost.subtract(heldAmount).signum() > 0, seen,
                row.getSlicesWanted() + wanted, wantedElsewhere && !returnFree, grantSteps, grantAmount);
    }

    /** The steps a slice lacks for one more call. */
    private static long stepsNeeded(ScopeLimits limits, long held, long inFlight) {
        return limits.maxSteps() == null ? 0 : Math.max(0, 1 - (held - inFlight));
    }

    /** The money a slice lacks for one more call of {@code amount}; null when it lacks none (or the scope has no budget). */
    private static BigDecimal amountNeeded(ScopeLimits limits, BigDecimal held, BigDecimal inFlight, BigDecimal amount) {
        BigDecimal free = held.subtract(inFlight);
        if (limits.maxBudget() == null || (free.signum() > 0 && free.compareTo(amount) >= 0)) {
            return null;
        }
        return amount.subtract(free).max(BigDecimal.ZERO);
    }

    /** Whether a row with these figures has room for {@code steps} more and for {@code amount} (null: no money needed). */
    private static boolean fits(ScopeLimits limits, long committed, long reserved, BigDecimal committedCost,
                                BigDecimal reservedCost, long steps, BigDecimal amount) {
        if (limits.maxSteps() != null && committed + reserved + steps > limits.maxSteps()) {
            return false;
        }
        if (amount == null || limits.maxBudget() == null) {
            return true;
        }
        BigDecimal spent = committedCost.add(reservedCost);
        return spent.compareTo(limits.maxBudget()) < 0 && spent.add(amount).compareTo(limits.maxBudget()) <= 0;
    }

    /**
     * The money of a new slice: enough for {@code calls} calls of {@code amount}, but at most a
     * sixteenth of what the budget leaves, at least what the call asking needs, never more than is left.
     */
    private static BigDecimal sliceAmount(BigDecimal left, BigDecimal need, BigDecimal amount, long calls) {
        BigDecimal share = left.divide(SLICE_SHARE_DECIMAL, SCALE, RoundingMode.FLOOR);
        BigDecimal wanted = amount.signum() > 0 ? amount.multiply(BigDecimal.valueOf(calls)).min(share) : share;
        BigDecimal grant = wanted.max(need).min(left);
        return grant.signum() > 0 ? grant : left; // a free call needs some money left, however little
    }

    private void writeLease(SliceShare share, long epoch, boolean leased, long held, BigDecimal heldAmount, Instant expiresAt,
                            Instant now) {
        BudgetKey key = share.key;
        if (held == 0 && heldAmount.signum() == 0) {
            if (leased) {
                leases.end(sliceLeaseId, key.getScopeType(), key.getScopeId(), key.getWindowKey());
            }
        } else if (leases.hold(sliceLeaseId, key.getScopeType(), key.getScopeId(), key.getWindowKey(), epoch, held,
                heldAmount, expiresAt) == 0) {
            // updated first even when none is known: a lease of ours from an epoch left unnoticed is taken over, not duplicated
            leases.insert(sliceLeaseId, key.getScopeType(), key.getScopeId(), key.getWindowKey(), instanceId, epoch,
                    held, heldAmount, expiresAt, now);
        }
    }

    /**
     * Writes the share if it has anything to write: settled usage, a changed slice, a lease to renew,
     * or a free part to offer back. Unless in the background, it first waits for a write in progress,
     * so that everything settled before it is in the row when it returns.
     */
    private void write(SliceShare share, boolean giveBack, boolean background) {
        if (background) {
            writeNow(share, giveBack, true);
            return;
        }
        share.io.lock();
        try {
            writeNow(share, giveBack, false);
        } finally {
            share.io.unlock();
        }
    }

    private void writeNow(SliceShare share, boolean giveBack, boolean background) {
        boolean idle;
        synchronized (share) {
            if (share.retired) {
                return;
            }
            long epoch = epoch();
            if (share.epoch < epoch) {
                share.resetTo(epoch);
            }
            long now = clock.millis();
            idle = now - share.lastUsed >= sliceIdleMillis;
            boolean free = share.hasFree();
            boolean renewDue = share.holdsLease() && now >= share.validUntil - leaseTime.toMillis() / 4;
            boolean due = share.hasPending() || share.heldChanged() || renewDue || (free && (giveBack || idle || background));
            if (!due) {
                if (background && idle && !share.holdsLease() && share.inFlightSteps == 0 && !share.io.isLocked()) {
                    share.retired = true; // nothing left of it here: forget it, so that idle scopes cost no memory
                    shares.remove(new RowKey(share.scope, share.key.getWindowKey()), share);
                }
                return;
            }
        }
        SyncResult result = sync(share, null, BigDecimal.ZERO, giveBack || idle, false);
        if (result != null && result.wantedElsewhere()) {
            sync(share, null, BigDecimal.ZERO, true, false); // another instance was refused: give back what is unused
        }
    }

    /** Writes the shares of a call's scopes (not its per-call ones). */
    private void writeShares(List<ScopedLimit> scopes, String window) {
        for (ScopedLimit scoped : scopes) {
            if (scoped.scope().type() != LimitScope.Type.WORKFLOW) {
                SliceShare share = shares.get(new RowKey(scoped.scope(), windowOf(scoped.scope().type(), window)));
                if (share != null) {
                    writeQuietly(share, false, false);
                }
            }
        }
    }

    private void writeQuietly(SliceShare share, boolean giveBack, boolean background) {
        try {
            write(share, giveBack, background);
        } catch (EpochMoved moved) {
            log.debug("The ledger was reset by another instance; the share of {} starts again", share.scope);
        } catch (RuntimeException e) {
            log.warn("Could not write this instance's usage of {} to the shared budget ledger; trying again in {}",
                    share.scope, writeInterval, e);
        }
    }

    /** Every share of this instance written to the database (usage settled so far, slices as they are). */
    public void flush() {
        for (SliceShare share : shares.values()) {
            try {
                write(share, false, false);
            } catch (EpochMoved moved) {
                log.debug("The ledger was reset by another instance while writing {}", share.scope);
            }
        }
    }

    /** The background writer's round: notices a reset elsewhere, then writes every share that has something to write. */
    private void writeInBackground() {
        try {
            long current = readEpoch();
            Long known = cachedEpoch;
            if (known == null || known != current) {
                cachedEpoch = current;
            }
            for (SliceShare share : shares.values()) {
                writeQuietly(share, false, true);
            }
        } catch (RuntimeException e) {
            log.warn("The shared budget ledger's writer could not reach the database; trying again in {}", writeInterval, e);
        }
    }

    /** Stops the writer, gives back every slice's unused part and writes what is settled. Calls settled later are written at once. */
    @Override
    public void close() {
        closed = true;
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SliceShare share : shares.values()) {
            writeQuietly(share, true, false);
        }
    }

    // ---- per-call reservations (workflow runs) ---------------------------------------------------

    private long reservePerCall(String agentId, List<ScopedLimit> scopes, long id, long epoch, BigDecimal amount,
                                BigDecimal requested, String window) {
        List<ScopedLimit> ordered = new ArrayList<>(scopes);
        ordered.sort(LOCK_ORDER);
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                Long runStep = transactions.execute(status -> reserveAll(ordered, leaseId(id), epoch, amount, window));
                return runStep == null ? 0 : runStep;
            } catch (Refused refused) {
                explainRefusal(agentId, ordered, epoch, amount, requested, window);
                if (epoch() != epoch) {
                    throw new EpochMoved();
                }
                log.debug("Reservation of agent '{}' raced with another change on {}; trying again", agentId, refused.scope);
            }
        }
        throw new GatewayException("Could not reserve a step for agent '" + agentId + "' after " + maxAttempts
                + " attempts: the budget ledger kept changing under it");
    }

    /** One conditional update and its lease per scope, in lock order; any refusal rolls the whole transaction back. */
    private Long reserveAll(List<ScopedLimit> ordered, String leaseId, long epoch, BigDecimal amount, String window) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(leaseTime);
        long runStep = 0;
        for (ScopedLimit scoped : ordered) {
            LimitScope scope = scoped.scope();
            ScopeLimits limits = scoped.limits();
            String rowWindow = windowOf(scope.type(), window);
            int updated = budgets.reserve(scope.type().name(), scope.id(), rowWindow, epoch, amount,
                    limits.maxSteps() != null, limits.maxSteps() == null ? 0 : limits.maxSteps(),
                    limits.maxBudget() != null, limits.maxBudget() == null ? BigDecimal.ZERO : limits.maxBudget(), now);
            if (updated == 0) {
                throw new Refused(scope);
            }
            leases.insert(leaseId, scope.type().name(), scope.id(), rowWindow, instanceId, epoch, 1, amount, expiresAt, now);
            if (scope.type() == LimitScope.Type.WORKFLOW) {
                // the row is locked by our update: this is our own position in the run
                runStep = budgets.usedSteps(scope.type().name(), scope.id(), rowWindow).orElse(0L);
            }
        }
        return runStep;
    }

    /**
     * After a refused reservation: creates missing rows, moves rows of an older epoch to the
     * current one, notices a reset by another instance, and otherwise throws the limit that is
     * broken, checking step limits on every scope before budgets as the in-memory ledger does.
     * Returns normally when the reservation should be tried again.
     */
    private void explainRefusal(String agentId, List<ScopedLimit> ordered, long epoch, BigDecimal amount, BigDecimal estimate,
                                String window) {
        long current = readEpoch();
        if (current != epoch) {
            cachedEpoch = current;
            return;
        }
        if (reclaimExpiredLeases() > 0) {
            return; // a dead instance's reservation may be what refused it
        }
        List<BudgetEntity> rows = new ArrayList<>(ordered.size());
        boolean repaired = false;
        for (ScopedLimit scoped : ordered) {
            LimitScope scope = scoped.scope();
            BudgetKey key = new BudgetKey(scope.type().name(), scope.id(), windowOf(scope.type(), window));
            Optional<BudgetEntity> row = budgets.findByKey(key);
            if (row.isEmpty()) {
                createRow(key, current);
                repaired = true;
            } else if (row.get().getEpoch() != current) {
                transactions.executeWithoutResult(status -> budgets.renew(key.getScopeType(), key.getScopeId(),
                        key.getWindowKey(), row.get().getEpoch(), current, clock.instant()));
                repaired = true;
            } else {
                rows.add(row.get());
            }
        }
        if (repaired) {
            return;
        }
        for (int i = 0; i < ordered.size(); i++) {
            Integer maxSteps = ordered.get(i).limits().maxSteps();
            BudgetEntity row = rows.get(i);
            long used = row.getCommittedSteps() + row.getReservedSteps();
            if (maxSteps != null && used + 1 > maxSteps) {
                throw new StepLimitExceededException(ordered.get(i).scope(), agentId, used, maxSteps);
            }
        }
        for (int i = 0; i < ordered.size(); i++) {
            BigDecimal maxBudget = ordered.get(i).limits().maxBudget();
            BudgetEntity row = rows.get(i);
            BigDecimal spent = row.getCommittedCost().add(row.getReservedCost());
            if (maxBudget != null && (spent.compareTo(maxBudget) >= 0 || spent.add(amount).compareTo(maxBudget) > 0)) {
                throw new BudgetExceededException(ordered.get(i).scope(), agentId, normalized(spent), estimate, maxBudget);
            }
        }
        // the figures changed between the refusal and this read: try again
    }

    private void createRow(BudgetKey key, long epoch) {
        synchronized (rowCreationLocks[Math.floorMod(key.hashCode(), rowCreationLocks.length)]) {
            try {
                transactions.executeWithoutResult(status -> budgets.insertIfAbsent(key.getScopeType(), key.getScopeId(),
                        key.getWindowKey(), epoch, clock.instant()));
            } catch (DataIntegrityViolationException concurrentInsert) {
                log.trace("Ledger row {} was created concurrently by another instance", key);
            }
        }
    }

    // ---- settle --------------------------------------------------------------------------------

    @Override
    public List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long inputTokens, long outputTokens) {
        Open opened = open.remove(reservation.id());
        if (opened == null || reservation.epoch() != epoch()) {
            return List.of(); // settled already, or reserved before a reset
        }
        BigDecimal cost = (actualCost == null ? BigDecimal.ZERO : actualCost).setScale(SCALE, RoundingMode.HALF_UP);
        Map<LimitScope, ScopeUsage> perCall = opened.perCall()
                ? commitPerCall(reservation, opened.window(), cost, inputTokens, outputTokens) : Map.of();
        List<ScopeUsage> after = new ArrayList<>(reservation.scopes().size());
        for (int i = 0; i < opened.taken().length; i++) {
            Taken taken = opened.taken()[i];
            if (taken == null) {
                ScopeUsage usage = perCall.get(reservation.scopes().get(i));
                if (usage != null) {
                    after.add(usage);
                }
                continue;
            }
            SliceShare share = taken.share();
            synchronized (share) {
                if (share.epoch != reservation.epoch()) {
                    continue;
                }
                share.settle(taken.generation(), reservation.amount(), cost, inputTokens, outputTokens);
                after.add(share.usage());
            }
            if (closed) {
                writeQuietly(share, true, false);
            }
        }
        return after;
    }

    private Map<LimitScope, ScopeUsage> commitPerCall(Reservation reservation, String window, BigDecimal cost,
                                                      long inputTokens, long outputTokens) {
        Map<LimitScope, ScopeUsage> after = transactions.execute(status -> {
            Instant now = clock.instant();
            Map<LimitScope, ScopeUsage> usages = new java.util.HashMap<>();
            for (LimitScope scope : inLockOrder(perCallScopes(reservation))) {
                String rowWindow = windowOf(scope.type(), window);
                int held = endLease(reservation, scope, rowWindow);
                int updated = budgets.commit(scope.type().name(), scope.id(), rowWindow, reservation.epoch(), held,
                        held == 0 ? BigDecimal.ZERO : reservation.amount(), cost, inputTokens, outputTokens, now);
                if (updated > 0) {
                    budgets.findByKey(new BudgetKey(scope.type().name(), scope.id(), rowWindow))
                            .ifPresent(row -> usages.put(scope, toUsage(scope, row)));
                }
            }
            return usages;
        });
        return after == null ? Map.of() : after;
    }

    @Override
    public void release(Reservation reservation, boolean countAsFailure) {
        Open opened = open.remove(reservation.id());
        if (opened == null || reservation.epoch() != epoch()) {
            return;
        }
        if (opened.perCall()) {
            transactions.executeWithoutResult(status -> {
                Instant now = clock.instant();
                for (LimitScope scope : inLockOrder(perCallScopes(reservation))) {
                    String rowWindow = windowOf(scope.type(), opened.window());
                    int held = endLease(reservation, scope, rowWindow);
                    budgets.release(scope.type().name(), scope.id(), rowWindow, reservation.epoch(), held,
                            held == 0 ? BigDecimal.ZERO : reservation.amount(), countAsFailure ? 1 : 0, now);
                }
            });
        }
        for (Taken taken : opened.taken()) {
            if (taken == null) {
                continue;
            }
            synchronized (taken.share()) {
                if (taken.share().epoch == reservation.epoch()) {
                    taken.share().giveBack(taken.generation(), reservation.amount(), countAsFailure);
                }
            }
            if (closed) {
                writeQuietly(taken.share(), true, false);
            }
        }
    }

    private static List<LimitScope> perCallScopes(Reservation reservation) {
        return reservation.scopes().stream().filter(scope -> scope.type() == LimitScope.Type.WORKFLOW).toList();
    }

    @Override
    public void countFailedCall(List<LimitScope> scopes) {
        long epoch = epoch();
        String window = currentTenantWindow();
        for (LimitScope scope : inLockOrder(scopes)) {
            if (scope.type() != LimitScope.Type.WORKFLOW) {
                countFailureOnShare(scope, window, epoch);
                continue;
            }
            BudgetKey key = new BudgetKey(scope.type().name(), scope.id(), windowOf(scope.type(), window));
            if (countFailure(key, epoch) == 0) {
                createRow(key, epoch); // the scope's first call was refused
                countFailure(key, epoch);
            }
        }
    }

    private void countFailureOnShare(LimitScope scope, String window, long epoch) {
        while (true) {
            SliceShare share = shareOf(scope, window, epoch);
            synchronized (share) {
                if (share.retired) {
                    continue;
                }
                if (share.epoch < epoch) {
                    share.resetTo(epoch);
                }
                share.pendingFailed++;
                share.lastUsed = clock.millis();
            }
            if (closed) {
                writeQuietly(share, true, false);
            }
            return;
        }
    }

    private int countFailure(BudgetKey key, long epoch) {
        Integer updated = transactions.execute(status -> budgets.countFailure(key.getScopeType(), key.getScopeId(),
                key.getWindowKey(), epoch, clock.instant()));
        return updated == null ? 0 : updated;
    }

    // ---- usage ---------------------------------------------------------------------------------

    /**
     * The scope's usage in the database, after this instance wrote what it had settled. Reserved
     * figures include calls in flight and the slices other instances hold and have not used yet.
     */
    @Override
    public ScopeUsage usage(LimitScope scope) {
        flush();
        String window = windowOf(scope.type(), currentTenantWindow());
        Optional<ScopeUsage> stored = budgets.findByKey(new BudgetKey(scope.type().name(), scope.id(), window))
                .filter(row -> row.getEpoch() == epochSeenIn(row))
                .map(row -> toUsage(scope, row));
        SliceShare share = scope.type() == LimitScope.Type.WORKFLOW ? null : shares.get(new RowKey(scope, window));
        if (share == null) {
            return stored.orElseGet(() -> ScopeUsage.empty(scope));
        }
        synchronized (share) {
            if (share.epoch != epoch()) {
                return stored.orElseGet(() -> ScopeUsage.empty(scope));
            }
            return normalizedUsage(share.usageOver(stored.orElseGet(() -> ScopeUsage.empty(scope))));
        }
    }

    @Override
    public List<ScopeUsage> usages(LimitScope.Type type) {
        flush();
        String window = windowOf(type, currentTenantWindow());
        return budgets.findAllOfType(type.name(), window, epoch()).stream()
                .map(row -> {
                    LimitScope scope = new LimitScope(type, row.getKey().getScopeId());
                    ScopeUsage stored = toUsage(scope, row);
                    SliceShare share = type == LimitScope.Type.WORKFLOW ? null : shares.get(new RowKey(scope, window));
                    if (share == null) {
                        return stored;
                    }
                    synchronized (share) {
                        return share.epoch == row.getEpoch() ? normalizedUsage(share.usageOver(stored)) : stored;
                    }
                })
                .toList();
    }

    private static ScopeUsage normalizedUsage(ScopeUsage usage) {
        return new ScopeUsage(usage.scope(), usage.committedSteps(), usage.reservedSteps(), normalized(usage.committedCost()),
                normalized(usage.reservedCost()), usage.inputTokens(), usage.outputTokens(), usage.failedCalls());
    }

    @Override
    public void forget(LimitScope scope) {
        shares.forEach((key, share) -> {
            if (key.scope().equals(scope)) {
                synchronized (share) {
                    share.retired = true;
                }
                shares.remove(key, share);
            }
        });
        transactions.executeWithoutResult(status -> {
            leases.deleteScope(scope.type().name(), scope.id()); // a later row of the same scope owes them nothing
            budgets.deleteScope(scope.type().name(), scope.id());
        });
    }

    @Override
    public void reset() {
        transactions.executeWithoutResult(status -> {
            if (epochs.increment() == 0) {
                epochs.insertIfAbsent();
                epochs.increment();
            }
            leases.deleteAllRows();
            budgets.deleteAllRows();
        });
        cachedEpoch = null;
        shares.forEach((key, share) -> {
            synchronized (share) {
                share.retired = true;
            }
        });
        shares.clear();
        open.clear();
    }

    /** Deletes tenant rows of past windows last changed before {@code cutoff}; returns how many. */
    public int purgePastWindows(Instant cutoff) {
        if (tenantWindow == BudgetWindow.NONE) {
            return 0;
        }
        Integer deleted = transactions.execute(status -> budgets.deletePastWindows(currentTenantWindow(), cutoff));
        return deleted == null ? 0 : deleted;
    }

    /** The key of the tenant window now: {@code "-"}, a day such as {@code 2025-06-01}, or a month such as {@code 2025-06}. */
    public String currentTenantWindow() {
        return tenantWindow.currentKey(clock, windowZone);
    }

    // ---- leases --------------------------------------------------------------------------------

    /** The instance named in this ledger's leases. */
    public String instanceId() {
        return instanceId;
    }

    /** How long a reservation is held for a call that is never settled (its JVM died). */
    public Duration leaseTime() {
        return leaseTime;
    }

    /**
     * Ends every lease that expired before now and gives its steps and money back, each exactly once
     * however many instances do this at the same time. Returns how many leases this call ended.
     */
    public int reclaimExpiredLeases() {
        Instant now = clock.instant();
        Map<String, List<LeaseEntity>> expired = new LinkedHashMap<>();
        for (LeaseEntity row : leases.findExpired(now, Limit.of(SWEEP_LIMIT))) {
            expired.computeIfAbsent(row.getKey().getLeaseId(), lease -> new ArrayList<>()).add(row);
        }
        int reclaimed = 0;
        for (List<LeaseEntity> rows : expired.values()) {
            rows.sort(Comparator.comparing(row -> scopeOf(row.getKey().getScope()), SCOPE_ORDER));
            Integer ended = transactions.execute(status -> {
                int count = 0;
                for (LeaseEntity row : rows) {
                    BudgetKey key = row.getKey().getScope();
                    if (leases.endExpired(row.getKey().getLeaseId(), key.getScopeType(), key.getScopeId(), key.getWindowKey(),
                            now, row.getSteps(), row.getAmount()) == 1) {
                        budgets.release(key.getScopeType(), key.getScopeId(), key.getWindowKey(), row.getEpoch(),
                                row.getSteps(), row.getAmount(), 0, now);
                        count++;
                    }
                }
                return count;
            });
            if (ended != null && ended > 0) {
                LeaseEntity first = rows.get(0);
                log.info("Reclaimed the expired lease {} of instance '{}' (expired {}): {} step(s) and ${} on {} scope(s)",
                        first.getKey().getLeaseId(), first.getInstanceId(), first.getExpiresAt(), first.getSteps(),
                        normalized(first.getAmount()), ended);
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** At most once per lease time, a reservation first reclaims what dead instances left. */
    private void sweepWhenDue() {
        long now = clock.millis();
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + leaseTime.toMillis())) {
            return;
        }
        try {
            reclaimExpiredLeases();
        } catch (RuntimeException e) {
            log.warn("Could not reclaim expired budget leases; trying again in {}", leaseTime, e);
        }
    }

    /** Ends the reservation's lease on one scope: 1 if it still held, 0 if it had been reclaimed (or a reset ended it). */
    private int endLease(Reservation reservation, LimitScope scope, String rowWindow) {
        int ended = leases.end(leaseId(reservation.id()), scope.type().name(), scope.id(), rowWindow);
        if (ended == 0 && reservation.epoch() == epoch()) {
            log.warn("The lease of a call of agent '{}' on {} had expired and was reclaimed before the call was settled: "
                    + "the call ran longer than the lease time {}; its actual cost is counted now", reservation.agentId(),
                    scope, leaseTime);
        }
        return ended;
    }

    private String leaseId(long reservationId) {
        return leasePrefix + "/" + reservationId;
    }

    private static LimitScope scopeOf(BudgetKey key) {
        return new LimitScope(LimitScope.Type.valueOf(key.getScopeType()), key.getScopeId());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long epoch() {
        Long epoch = cachedEpoch;
        if (epoch == null) {
            epoch = readEpoch();
            cachedEpoch = epoch;
        }
        return epoch;
    }

    /** The epoch as the database has it, creating its row if needed. */
    private long readEpoch() {
        Optional<Long> epoch = epochs.currentEpoch();
        if (epoch.isPresent()) {
            return epoch.get();
        }
        try {
            transactions.executeWithoutResult(status -> epochs.insertIfAbsent());
        } catch (DataIntegrityViolationException concurrentInsert) {
            log.trace("Ledger epoch row was created concurrently");
        }
        return epochs.currentEpoch().orElse(0L);
    }

    /** The epoch to compare a row with: a row from a newer epoch means another instance reset the ledger. */
    private long epochSeenIn(BudgetEntity row) {
        long epoch = epoch();
        if (row.getEpoch() > epoch) {
            epoch = readEpoch();
            cachedEpoch = epoch;
        }
        return epoch;
    }

    private static List<LimitScope> inLockOrder(List<LimitScope> scopes) {
        List<LimitScope> ordered = new ArrayList<>(scopes);
        ordered.sort(SCOPE_ORDER);
        return ordered;
    }

    private String windowOf(LimitScope.Type type, String tenantWindowKey) {
        return type == LimitScope.Type.TENANT ? tenantWindowKey : BudgetKey.NO_WINDOW;
    }

    private static ScopeUsage toUsage(LimitScope scope, BudgetEntity row) {
        return new ScopeUsage(scope, row.getCommittedSteps(), row.getReservedSteps(), normalized(row.getCommittedCost()),
                normalized(row.getReservedCost()), row.getInputTokens(), row.getOutputTokens(), row.getFailedCalls());
    }

    /** Without the trailing zeros of the column's scale, and never in exponent notation. */
    static BigDecimal normalized(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Another instance reset the ledger while this reservation was made: it starts again in the new epoch. */
    private static final class EpochMoved extends RuntimeException {
        EpochMoved() {
            super(null, null, false, false);
        }
    }

    /** A scope refused the reservation; thrown inside the transaction so that it rolls back. */
    private static final class Refused extends RuntimeException {
        private final transient LimitScope scope;

        Refused(LimitScope scope) {
            super(null, null, false, false);
            this.scope = scope;
        }
    }
}
