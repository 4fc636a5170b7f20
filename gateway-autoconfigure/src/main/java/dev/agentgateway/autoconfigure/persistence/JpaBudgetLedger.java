package dev.agentgateway.autoconfigure.persistence;

import dev.agentgateway.autoconfigure.persistence.jpa.BudgetEntity;
import dev.agentgateway.autoconfigure.persistence.jpa.BudgetKey;
import dev.agentgateway.autoconfigure.persistence.jpa.BudgetRepository;
import dev.agentgateway.autoconfigure.persistence.jpa.LeaseEntity;
import dev.agentgateway.autoconfigure.persistence.jpa.LeaseRepository;
import dev.agentgateway.autoconfigure.persistence.jpa.LedgerEpochRepository;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.BudgetLedger;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BudgetLedger} in the database, shared by every gateway instance that uses it: several
 * application instances on one PostgreSQL enforce one set of limits.
 *
 * <p>A reservation is one transaction of single conditional {@code UPDATE} statements, one per
 * scope of the call, each adding one step and the estimate only if that scope's limits still hold
 * ({@link BudgetRepository#reserve}). Nothing is read before it is written, so concurrent callers
 * on any number of instances are serialised by the database's row locks, and committed steps never
 * pass a step limit, nor committed spend a budget by more than one call's estimate error. If any
 * scope's update changes no row the whole transaction rolls back, and only then are the rows read
 * to tell which limit refused the call (or that a row had to be created first, and the reservation
 * is tried again). Reservations, commits and releases change rows in one fixed order of scopes,
 * so concurrent transactions cannot deadlock.
 *
 * <p>Tenant usage can start again every day or month ({@link BudgetWindow}): each window has its
 * own row, keyed by the window. A reservation is settled in the window it was taken in.
 *
 * <p>{@link #reset()} moves the ledger to a new epoch (table {@code agw_ledger_epoch}) and deletes
 * every row; reservations of an older epoch change nothing when they come back.
 *
 * <p>Every reservation is a <em>lease</em> (table {@code agw_lease}, one row per scope) naming this
 * instance and expiring after the lease time, which is derived from the longest provider time-out.
 * Settling the call ends the lease. If this JVM dies during the call, the lease outlives it; once it
 * has expired, any instance ends it and gives its step and estimate back to the scopes: when a
 * reservation would otherwise be refused, and at most once per lease time in passing. Ending a lease
 * row is one {@code DELETE} whose row count says who ended it, so the owner settling late and
 * several instances reclaiming at once give it back exactly once. A call that outlives its lease
 * is still counted with its actual cost when it is settled.
 */
public class JpaBudgetLedger implements BudgetLedger {

    /** The tables this ledger needs. */
    public static final List<String> TABLES = List.of("agw_budget", "agw_ledger_epoch", "agw_lease");

    /** Amounts are kept to this many decimal places of a US dollar. */
    public static final int SCALE = 12;

    private static final Logger log = LoggerFactory.getLogger(JpaBudgetLedger.class);
    /** Every transaction changes rows in this order of scopes, so that no two can wait for each other. */
    private static final Comparator<LimitScope> SCOPE_ORDER = Comparator.comparing(LimitScope::type)
            .thenComparing(LimitScope::id);
    private static final Comparator<ScopedLimit> LOCK_ORDER = Comparator.comparing(ScopedLimit::scope, SCOPE_ORDER);

    /** Added to the longest call time-out to give the lease time: hooks, settling, clocks of instances a little apart. */
    public static final Duration LEASE_MARGIN = Duration.ofMinutes(1);
    /** Expired leases reclaimed in one sweep at most. */
    private static final int SWEEP_LIMIT = 500;

    private final BudgetRepository budgets;
    private final LedgerEpochRepository epochs;
    private final LeaseRepository leases;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BudgetWindow tenantWindow;
    private final ZoneId windowZone;
    private final int maxAttempts;
    private final AtomicLong ids = new AtomicLong();
    private final String instanceId;
    /** Lease ids are this, a slash and the reservation id: unique even if two instances were given one instance id. */
    private final String leasePrefix;
    private final Duration leaseTime;
    /** Epoch milliseconds after which the next reservation first reclaims expired leases. */
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    /** The tenant window each open reservation was taken in, when tenant windows are on. */
    private final Map<Long, String> reservationWindows = new ConcurrentHashMap<>();
    /** Threads of this instance create a missing row one at a time, so only other instances can race for it. */
    private final Object[] rowCreationLocks = new Object[64];
    private volatile Long cachedEpoch;

    /**
     * @param longestCallTimeout the longest time one provider call may take; the lease time is this
     *                           plus {@link #LEASE_MARGIN} unless the settings give a lease time
     */
    public JpaBudgetLedger(BudgetRepository budgets, LedgerEpochRepository epochs, LeaseRepository leases,
                           PlatformTransactionManager transactionManager, GatewayPersistenceProperties.Budget settings,
                           Duration longestCallTimeout, Clock clock) {
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.epochs = Objects.requireNonNull(epochs, "epochs");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.leaseTime = settings.getLeaseTime() != null ? settings.getLeaseTime()
                : Objects.requireNonNull(longestCallTimeout, "longestCallTimeout").plus(LEASE_MARGIN);
        this.instanceId = settings.getInstanceId() != null && !settings.getInstanceId().isBlank() ? settings.getInstanceId()
                : ManagementFactory.getRuntimeMXBean().getName();
        this.leasePrefix = instanceId + "/" + Long.toHexString(new SecureRandom().nextLong());
        this.transactions = new TransactionTemplate(transactionManager);
        // a reservation must be visible to every instance at once, whatever transaction the caller is in
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tenantWindow = settings.getTenantWindow();
        this.windowZone = settings.getWindowZone();
        this.maxAttempts = settings.getMaxReserveAttempts();
        for (int i = 0; i < rowCreationLocks.length; i++) {
            rowCreationLocks[i] = new Object();
        }
    }

    // ---- reserve -------------------------------------------------------------------------------

    @Override
    public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
        BigDecimal amount = (estimate == null ? BigDecimal.ZERO : estimate).setScale(SCALE, RoundingMode.CEILING);
        List<ScopedLimit> ordered = new ArrayList<>(scopes);
        ordered.sort(LOCK_ORDER);
        String window = currentTenantWindow();
        sweepWhenDue();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long epoch = epoch();
            long id = ids.incrementAndGet();
            try {
                Long runStep = transactions.execute(status -> reserveAll(ordered, leaseId(id), epoch, amount, window));
                if (tenantWindow != BudgetWindow.NONE) {
                    reservationWindows.put(id, window);
                }
                return new Reservation(id, epoch, agentId, scopes.stream().map(ScopedLimit::scope).toList(), amount,
                        runStep == null ? 0 : runStep);
            } catch (Refused refused) {
                explainRefusal(agentId, ordered, epoch, amount, estimate == null ? BigDecimal.ZERO : estimate, window);
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
        String window = windowOfReservation(reservation);
        BigDecimal cost = (actualCost == null ? BigDecimal.ZERO : actualCost).setScale(SCALE, RoundingMode.HALF_UP);
        Map<LimitScope, ScopeUsage> after = transactions.execute(status -> {
            Instant now = clock.instant();
            Map<LimitScope, ScopeUsage> usages = new java.util.HashMap<>();
            for (LimitScope scope : inLockOrder(reservation.scopes())) {
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
        if (after == null || after.isEmpty()) {
            return List.of();
        }
        // in the reservation's order of scopes, as the in-memory ledger answers
        return reservation.scopes().stream().filter(after::containsKey).map(after::get).toList();
    }

    @Override
    public void release(Reservation reservation, boolean countAsFailure) {
        String window = windowOfReservation(reservation);
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            for (LimitScope scope : inLockOrder(reservation.scopes())) {
                String rowWindow = windowOf(scope.type(), window);
                int held = endLease(reservation, scope, rowWindow);
                budgets.release(scope.type().name(), scope.id(), rowWindow, reservation.epoch(), held,
                        held == 0 ? BigDecimal.ZERO : reservation.amount(), countAsFailure ? 1 : 0, now);
            }
        });
    }

    @Override
    public void countFailedCall(List<LimitScope> scopes) {
        long epoch = epoch();
        String window = currentTenantWindow();
        for (LimitScope scope : inLockOrder(scopes)) {
            BudgetKey key = new BudgetKey(scope.type().name(), scope.id(), windowOf(scope.type(), window));
            if (countFailure(key, epoch) == 0) {
                createRow(key, epoch); // the scope's first call was refused
                countFailure(key, epoch);
            }
        }
    }

    private int countFailure(BudgetKey key, long epoch) {
        Integer updated = transactions.execute(status -> budgets.countFailure(key.getScopeType(), key.getScopeId(),
                key.getWindowKey(), epoch, clock.instant()));
        return updated == null ? 0 : updated;
    }

    // ---- usage ---------------------------------------------------------------------------------

    @Override
    public ScopeUsage usage(LimitScope scope) {
        String window = windowOf(scope.type(), currentTenantWindow());
        return budgets.findByKey(new BudgetKey(scope.type().name(), scope.id(), window))
                .filter(row -> row.getEpoch() == epochSeenIn(row))
                .map(row -> toUsage(scope, row))
                .orElseGet(() -> ScopeUsage.empty(scope));
    }

    @Override
    public List<ScopeUsage> usages(LimitScope.Type type) {
        String window = windowOf(type, currentTenantWindow());
        return budgets.findAllOfType(type.name(), window, epoch()).stream()
                .map(row -> toUsage(new LimitScope(type, row.getKey().getScopeId()), row))
                .toList();
    }

    @Override
    public void forget(LimitScope scope) {
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
        reservationWindows.clear();
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
                            now) == 1) {
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

    private String windowOfReservation(Reservation reservation) {
        if (tenantWindow == BudgetWindow.NONE) {
            return BudgetKey.NO_WINDOW;
        }
        String window = reservationWindows.remove(reservation.id());
        return window != null ? window : currentTenantWindow();
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

    /** A scope refused the reservation; thrown inside the transaction so that it rolls back. */
    private static final class Refused extends RuntimeException {
        private final transient LimitScope scope;

        Refused(LimitScope scope) {
            super(null, null, false, false);
            this.scope = scope;
        }
    }
}
