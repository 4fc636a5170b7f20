package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ledger of one JVM, without a lock shared by all calls: each scope has its own counter and
 * lock, so calls of different agents, tenants and runs do not wait for each other.
 *
 * <p><b>Why limits stay exact.</b> A reservation checks and takes on several scopes at once. It
 * locks the counters of all its scopes, always in the same global order (each counter's creation
 * number), checks every limit, takes on every scope, and only then unlocks. Holding all the locks
 * while checking makes the reservation all-or-nothing, as under one lock: no other call can take
 * from one of these scopes between the check and the take, and a refused call has taken nothing,
 * so it can never make another call fail spuriously (an optimistic take-then-roll-back would).
 * The fixed order makes two calls that share scopes acquire them in the same sequence, so they
 * cannot deadlock. Commits and releases lock the same way, so a usage read under a counter's lock
 * is always a state some serial order of the calls would have produced.
 *
 * <p><b>Counters that go away.</b> A counter is taken out of the ledger by {@link #forget} or, for
 * workflow runs, by eviction; it is then marked dead under its own lock. A call that locked a dead
 * counter (it looked the counter up just before) unlocks and looks its scopes up again, so nothing
 * is ever counted on a counter the ledger no longer holds. {@link #reset} swaps the whole table
 * for an empty one with a new epoch instead: a call that was working on the old table made a
 * reservation of the old epoch, which the new table ignores when it comes back, exactly as a
 * reservation made before a reset under one lock.
 *
 * <p><b>Workflow runs</b> come and go, so at most {@code maxTrackedRuns} of them are kept (default
 * {@value #DEFAULT_MAX_TRACKED_RUNS}): the least recently used run without a call in flight is
 * forgotten first, which keeps memory flat in a server that never calls {@code completeRun}. Runs
 * are spread over up to {@value #MAX_RUN_STRIPES} stripes (each with its own lock and LRU order) once
 * there is room for at least {@value #MIN_RUNS_PER_STRIPE} runs per stripe; the bound is exact,
 * the order is least-recently-used within a stripe.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {

    public static final int DEFAULT_MAX_TRACKED_RUNS = 10_000;
    static final int MAX_RUN_STRIPES = 16;
    static final int MIN_RUNS_PER_STRIPE = 1024;

    /** One scope's figures; every field is guarded by {@link #lock}. */
    private static final class Counter {
        final long order;
        final ReentrantLock lock = new ReentrantLock();
        boolean dead;
        long committedSteps;
        long reservedSteps;
        BigDecimal committedCost = BigDecimal.ZERO;
        BigDecimal reservedCost = BigDecimal.ZERO;
        long inputTokens;
        long outputTokens;
        long failedCalls;

        Counter(long order) {
            this.order = order;
        }

        ScopeUsage toUsage(LimitScope scope) {
            return new ScopeUsage(scope, committedSteps, reservedSteps, committedCost, reservedCost, inputTokens,
                    outputTokens, failedCalls);
        }
    }

    /** The runs of one stripe, in LRU order; the lock guards the map only, never a counter's figures. */
    private static final class RunStripe {
        final ReentrantLock lock = new ReentrantLock();
        final LinkedHashMap<LimitScope, Counter> runs = new LinkedHashMap<>(64, 0.75f, true);
        final int capacity;

        RunStripe(int capacity) {
            this.capacity = capacity;
        }
    }

    /** Everything {@link #reset} discards at once. */
    private static final class Table {
        final long epoch;
        final ConcurrentHashMap<LimitScope, Counter> counters = new ConcurrentHashMap<>();
        final RunStripe[] stripes;

        Table(long epoch, int maxTrackedRuns) {
            this.epoch = epoch;
            int count = stripeCount(maxTrackedRuns);
            stripes = new RunStripe[count];
            for (int i = 0; i < count; i++) {
                stripes[i] = new RunStripe(maxTrackedRuns / count + (i < maxTrackedRuns % count ? 1 : 0));
            }
        }

        RunStripe stripeOf(LimitScope run) {
            int h = run.hashCode();
            return stripes[((h ^ (h >>> 16)) & 0x7fffffff) % stripes.length];
        }
    }

    private final int maxTrackedRuns;
    private final AtomicLong counterOrder = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong();
    private volatile Table table;

    public InMemoryBudgetLedger() {
        this(DEFAULT_MAX_TRACKED_RUNS);
    }

    public InMemoryBudgetLedger(int maxTrackedRuns) {
        if (maxTrackedRuns < 1) {
            throw new IllegalArgumentException("maxTrackedRuns must be at least 1, was " + maxTrackedRuns);
        }
        this.maxTrackedRuns = maxTrackedRuns;
        this.table = new Table(0, maxTrackedRuns);
    }

    private static int stripeCount(int maxTrackedRuns) {
        int stripes = 1;
        while (stripes < MAX_RUN_STRIPES && (long) maxTrackedRuns / (stripes * 2L) >= MIN_RUNS_PER_STRIPE) {
            stripes *= 2;
        }
        return stripes;
    }

    @Override
    public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
        return take(agentId, scopes, estimate, 1);
    }

    @Override
    public Reservation reserveCost(String agentId, List<ScopedLimit> scopes, BigDecimal amount) {
        return take(agentId, scopes, amount, 0);
    }

    @Override
    public boolean holdsCostWithoutStep() {
        return true;
    }

    /** Checks and takes {@code steps} (1 for a model call, 0 for a tool's cost) and {@code amount} on every scope, all or nothing. */
    private Reservation take(String agentId, List<ScopedLimit> scopes, BigDecimal amount, int steps) {
        int n = scopes.size();
        LimitScope[] names = new LimitScope[n];
        for (int i = 0; i < n; i++) {
            names[i] = scopes.get(i).scope();
        }
        while (true) {
            Table current = table;
            Counter[] counters = obtainAll(current, names);
            Counter[] ordered = lockAll(counters);
            try {
                if (anyDead(ordered)) {
                    continue;
                }
                if (steps > 0) {
                    checkSteps(agentId, scopes, counters);
                }
                checkBudgets(agentId, scopes, counters, amount);
                long runStep = 0;
                for (int i = 0; i < n; i++) {
                    Counter counter = counters[i];
                    counter.reservedSteps += steps;
                    counter.reservedCost = counter.reservedCost.add(amount);
                    if (steps > 0 && names[i].type() == LimitScope.Type.WORKFLOW) {
                        runStep = counter.committedSteps + counter.reservedSteps;
                    }
                }
                return new Reservation(nextId.incrementAndGet(), current.epoch, agentId, Arrays.asList(names), amount, runStep,
                        steps);
            } finally {
                unlockAll(ordered);
            }
        }
    }

    /** Under the counters' locks; step limits are checked before budgets, as the refusal names the first limit broken. */
    private static void checkSteps(String agentId, List<ScopedLimit> scopes, Counter[] counters) {
        for (int i = 0; i < counters.length; i++) {
            Integer maxSteps = scopes.get(i).limits().maxSteps();
            if (maxSteps != null) {
                long used = counters[i].committedSteps + counters[i].reservedSteps;
                if (used + 1 > maxSteps) {
                    throw new StepLimitExceededException(scopes.get(i).scope(), agentId, used, maxSteps);
                }
            }
        }
    }

    /** Under the counters' locks: throws when a scope's budget cannot hold {@code amount} more. */
    private static void checkBudgets(String agentId, List<ScopedLimit> scopes, Counter[] counters, BigDecimal amount) {
        for (int i = 0; i < counters.length; i++) {
            BigDecimal maxBudget = scopes.get(i).limits().maxBudget();
            if (maxBudget != null) {
                BigDecimal spent = counters[i].committedCost.add(counters[i].reservedCost);
                if (spent.compareTo(maxBudget) >= 0 || spent.add(amount).compareTo(maxBudget) > 0) {
                    throw new BudgetExceededException(scopes.get(i).scope(), agentId, spent, amount, maxBudget);
                }
            }
        }
    }

    @Override
    public List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long inputTokens, long outputTokens) {
        LimitScope[] names = reservation.scopes().toArray(new LimitScope[0]);
        while (true) {
            Table current = table;
            if (reservation.epoch() != current.epoch) {
                return List.of();
            }
            Counter[] counters = obtainAll(current, names);
            Counter[] ordered = lockAll(counters);
            try {
                if (anyDead(ordered)) {
                    continue;
                }
                ScopeUsage[] after = new ScopeUsage[names.length];
                for (int i = 0; i < names.length; i++) {
                    Counter counter = counters[i];
                    counter.reservedSteps -= reservation.steps();
                    counter.reservedCost = counter.reservedCost.subtract(reservation.amount());
                    counter.committedSteps += reservation.steps();
                    counter.committedCost = counter.committedCost.add(actualCost);
                    counter.inputTokens += inputTokens;
                    counter.outputTokens += outputTokens;
                    after[i] = counter.toUsage(names[i]);
                }
                return Arrays.asList(after);
            } finally {
                unlockAll(ordered);
            }
        }
    }

    @Override
    public void release(Reservation reservation, boolean countAsFailure) {
        LimitScope[] names = reservation.scopes().toArray(new LimitScope[0]);
        while (true) {
            Table current = table;
            if (reservation.epoch() != current.epoch) {
                return;
            }
            Counter[] counters = obtainAll(current, names);
            Counter[] ordered = lockAll(counters);
            try {
                if (anyDead(ordered)) {
                    continue;
                }
                for (Counter counter : counters) {
                    counter.reservedSteps -= reservation.steps();
                    counter.reservedCost = counter.reservedCost.subtract(reservation.amount());
                    if (countAsFailure) {
                        counter.failedCalls++;
                    }
                }
                return;
            } finally {
                unlockAll(ordered);
            }
        }
    }

    @Override
    public void countFailedCall(List<LimitScope> scopes) {
        Table current = table;
        for (LimitScope scope : scopes) {
            // one scope at a time: a failure count checks nothing, so it needs no atomicity across scopes
            while (true) {
                Counter counter = obtain(current, scope);
                counter.lock.lock();
                try {
                    if (!counter.dead) {
                        counter.failedCalls++;
                        break;
                    }
                } finally {
                    counter.lock.unlock();
                }
            }
        }
    }

    @Override
    public ScopeUsage usage(LimitScope scope) {
        Counter counter = find(table, scope);
        return counter == null ? ScopeUsage.empty(scope) : snapshot(counter, scope);
    }

    @Override
    public List<ScopeUsage> usages(LimitScope.Type type) {
        Table current = table;
        List<Map.Entry<LimitScope, Counter>> entries = new ArrayList<>();
        if (type == LimitScope.Type.WORKFLOW) {
            for (RunStripe stripe : current.stripes) {
                stripe.lock.lock();
                try {
                    stripe.runs.forEach((scope, counter) -> entries.add(Map.entry(scope, counter)));
                } finally {
                    stripe.lock.unlock();
                }
            }
        } else {
            current.counters.forEach((scope, counter) -> {
                if (scope.type() == type) {
                    entries.add(Map.entry(scope, counter));
                }
            });
        }
        List<ScopeUsage> result = new ArrayList<>(entries.size());
        for (Map.Entry<LimitScope, Counter> entry : entries) {
            result.add(snapshot(entry.getValue(), entry.getKey()));
        }
        return result;
    }

    @Override
    public void forget(LimitScope scope) {
        Table current = table;
        Counter removed;
        if (scope.type() == LimitScope.Type.WORKFLOW) {
            RunStripe stripe = current.stripeOf(scope);
            stripe.lock.lock();
            try {
                removed = stripe.runs.remove(scope);
            } finally {
                stripe.lock.unlock();
            }
        } else {
            removed = current.counters.remove(scope);
        }
        if (removed != null) {
            removed.lock.lock();
            removed.dead = true;
            removed.lock.unlock();
        }
    }

    @Override
    public void reset() {
        table = new Table(table.epoch + 1, maxTrackedRuns);
    }

    private static ScopeUsage snapshot(Counter counter, LimitScope scope) {
        counter.lock.lock();
        try {
            return counter.toUsage(scope);
        } finally {
            counter.lock.unlock();
        }
    }

    private Counter[] obtainAll(Table current, LimitScope[] names) {
        Counter[] counters = new Counter[names.length];
        for (int i = 0; i < names.length; i++) {
            counters[i] = obtain(current, names[i]);
        }
        return counters;
    }

    /** Locks the counters in their global order and returns them in that order, for {@link #unlockAll}. */
    private static Counter[] lockAll(Counter[] counters) {
        Counter[] ordered = counters.clone();
        for (int i = 1; i < ordered.length; i++) { // insertion sort: a call has at most four scopes
            Counter c = ordered[i];
            int j = i - 1;
            while (j >= 0 && ordered[j].order > c.order) {
                ordered[j + 1] = ordered[j];
                j--;
            }
            ordered[j + 1] = c;
        }
        for (Counter counter : ordered) {
            counter.lock.lock();
        }
        return ordered;
    }

    private static void unlockAll(Counter[] ordered) {
        for (int i = ordered.length - 1; i >= 0; i--) {
            ordered[i].lock.unlock();
        }
    }

    private static boolean anyDead(Counter[] counters) {
        for (Counter counter : counters) {
            if (counter.dead) {
                return true;
            }
        }
        return false;
    }

    private static Counter find(Table current, LimitScope scope) {
        if (scope.type() != LimitScope.Type.WORKFLOW) {
            return current.counters.get(scope);
        }
        RunStripe stripe = current.stripeOf(scope);
        stripe.lock.lock();
        try {
            return stripe.runs.get(scope);
        } finally {
            stripe.lock.unlock();
        }
    }

    private Counter obtain(Table current, LimitScope scope) {
        if (scope.type() != LimitScope.Type.WORKFLOW) {
            Counter counter = current.counters.get(scope); // no lambda on the common path: the scope is known
            return counter != null ? counter : current.counters.computeIfAbsent(scope, s -> newCounter());
        }
        RunStripe stripe = current.stripeOf(scope);
        stripe.lock.lock();
        try {
            Counter counter = stripe.runs.get(scope);
            if (counter == null) {
                counter = newCounter();
                stripe.runs.put(scope, counter);
                if (stripe.runs.size() > stripe.capacity) {
                    evictIdleRun(stripe, scope);
                }
            }
            return counter;
        } finally {
            stripe.lock.unlock();
        }
    }

    private Counter newCounter() {
        return new Counter(counterOrder.incrementAndGet());
    }

    /**
     * Forgets the stripe's least recently used run, other than {@code keep}, that has no call in
     * flight. A run whose lock another call holds is skipped rather than waited for: that call is
     * using it, and the stripe's lock is not held while waiting for anything.
     */
    private static void evictIdleRun(RunStripe stripe, LimitScope keep) {
        Iterator<Map.Entry<LimitScope, Counter>> eldest = stripe.runs.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<LimitScope, Counter> candidate = eldest.next();
            Counter counter = candidate.getValue();
            if (candidate.getKey().equals(keep) || !counter.lock.tryLock()) {
                continue;
            }
            try {
                if (counter.reservedSteps == 0 && counter.reservedCost.signum() == 0) {
                    counter.dead = true;
                    eldest.remove();
                    return;
                }
            } finally {
                counter.lock.unlock();
            }
        }
    }
}
