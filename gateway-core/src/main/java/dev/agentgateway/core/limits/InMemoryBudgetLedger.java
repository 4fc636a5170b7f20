package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger of one JVM. One lock guards all scopes: a reservation must check and take from
 * several scopes at once, and the critical section is a handful of additions, far cheaper than
 * the ordering discipline per-scope locks would need.
 *
 * <p>Workflow runs come and go, so at most {@code maxTrackedRuns} of them are kept (default
 * {@value #DEFAULT_MAX_TRACKED_RUNS}): the least recently used run without a call in flight is
 * forgotten first, which keeps memory flat in a server that never calls {@code completeRun}.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {

    private static final class Counter {
        long committedSteps;
        long reservedSteps;
        BigDecimal committedCost = BigDecimal.ZERO;
        BigDecimal reservedCost = BigDecimal.ZERO;
        long inputTokens;
        long outputTokens;
        long failedCalls;

        ScopeUsage toUsage(LimitScope scope) {
            return new ScopeUsage(scope, committedSteps, reservedSteps, committedCost, reservedCost, inputTokens,
                    outputTokens, failedCalls);
        }
    }

    public static final int DEFAULT_MAX_TRACKED_RUNS = 10_000;

    private final Object lock = new Object();
    private final Map<LimitScope, Counter> counters = new HashMap<>();
    private final LinkedHashMap<LimitScope, Counter> runs = new LinkedHashMap<>(64, 0.75f, true);
    private final int maxTrackedRuns;
    private long epoch;
    private long nextId;

    public InMemoryBudgetLedger() {
        this(DEFAULT_MAX_TRACKED_RUNS);
    }

    public InMemoryBudgetLedger(int maxTrackedRuns) {
        if (maxTrackedRuns < 1) {
            throw new IllegalArgumentException("maxTrackedRuns must be at least 1, was " + maxTrackedRuns);
        }
        this.maxTrackedRuns = maxTrackedRuns;
    }

    @Override
    public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
        synchronized (lock) {
            for (ScopedLimit scoped : scopes) {
                Integer maxSteps = scoped.limits().maxSteps();
                if (maxSteps != null) {
                    Counter counter = find(scoped.scope());
                    long used = counter == null ? 0 : counter.committedSteps + counter.reservedSteps;
                    if (used + 1 > maxSteps) {
                        throw new StepLimitExceededException(scoped.scope(), agentId, used, maxSteps);
                    }
                }
            }
            checkBudgets(agentId, scopes, estimate);
            long runStep = 0;
            List<LimitScope> reserved = new ArrayList<>(scopes.size());
            for (ScopedLimit scoped : scopes) {
                Counter counter = obtain(scoped.scope());
                counter.reservedSteps++;
                counter.reservedCost = counter.reservedCost.add(estimate);
                if (scoped.scope().type() == LimitScope.Type.WORKFLOW) {
                    runStep = counter.committedSteps + counter.reservedSteps;
                }
                reserved.add(scoped.scope());
            }
            return new Reservation(++nextId, epoch, agentId, reserved, estimate, runStep);
        }
    }

    @Override
    public Reservation reserveCost(String agentId, List<ScopedLimit> scopes, BigDecimal amount) {
        synchronized (lock) {
            checkBudgets(agentId, scopes, amount);
            List<LimitScope> reserved = new ArrayList<>(scopes.size());
            for (ScopedLimit scoped : scopes) {
                Counter counter = obtain(scoped.scope());
                counter.reservedCost = counter.reservedCost.add(amount);
                reserved.add(scoped.scope());
            }
            return new Reservation(++nextId, epoch, agentId, reserved, amount, 0, 0);
        }
    }

    @Override
    public boolean holdsCostWithoutStep() {
        return true;
    }

    /** Under the lock: throws when a scope's budget cannot hold {@code amount} more. */
    private void checkBudgets(String agentId, List<ScopedLimit> scopes, BigDecimal amount) {
        for (ScopedLimit scoped : scopes) {
            BigDecimal maxBudget = scoped.limits().maxBudget();
            if (maxBudget != null) {
                Counter counter = find(scoped.scope());
                BigDecimal spent = counter == null ? BigDecimal.ZERO : counter.committedCost.add(counter.reservedCost);
                if (spent.compareTo(maxBudget) >= 0 || spent.add(amount).compareTo(maxBudget) > 0) {
                    throw new BudgetExceededException(scoped.scope(), agentId, spent, amount, maxBudget);
                }
            }
        }
    }

    @Override
    public List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long inputTokens, long outputTokens) {
        synchronized (lock) {
            if (reservation.epoch() != epoch) {
                return List.of();
            }
            List<ScopeUsage> after = new ArrayList<>(reservation.scopes().size());
            for (LimitScope scope : reservation.scopes()) {
                Counter counter = obtain(scope);
                counter.reservedSteps -= reservation.steps();
                counter.reservedCost = counter.reservedCost.subtract(reservation.amount());
                counter.committedSteps += reservation.steps();
                counter.committedCost = counter.committedCost.add(actualCost);
                counter.inputTokens += inputTokens;
                counter.outputTokens += outputTokens;
                after.add(counter.toUsage(scope));
            }
            return after;
        }
    }

    @Override
    public void release(Reservation reservation, boolean countAsFailure) {
        synchronized (lock) {
            if (reservation.epoch() != epoch) {
                return;
            }
            for (LimitScope scope : reservation.scopes()) {
                Counter counter = obtain(scope);
                counter.reservedSteps -= reservation.steps();
                counter.reservedCost = counter.reservedCost.subtract(reservation.amount());
                if (countAsFailure) {
                    counter.failedCalls++;
                }
            }
        }
    }

    @Override
    public void countFailedCall(List<LimitScope> scopes) {
        synchronized (lock) {
            for (LimitScope scope : scopes) {
                obtain(scope).failedCalls++;
            }
        }
    }

    @Override
    public ScopeUsage usage(LimitScope scope) {
        synchronized (lock) {
            Counter counter = find(scope);
            return counter == null ? ScopeUsage.empty(scope) : counter.toUsage(scope);
        }
    }

    @Override
    public List<ScopeUsage> usages(LimitScope.Type type) {
        synchronized (lock) {
            List<ScopeUsage> result = new ArrayList<>();
            (type == LimitScope.Type.WORKFLOW ? runs : counters).forEach((scope, counter) -> {
                if (scope.type() == type) {
                    result.add(counter.toUsage(scope));
                }
            });
            return result;
        }
    }

    @Override
    public void forget(LimitScope scope) {
        synchronized (lock) {
            counters.remove(scope);
            runs.remove(scope);
        }
    }

    @Override
    public void reset() {
        synchronized (lock) {
            counters.clear();
            runs.clear();
            epoch++;
        }
    }

    private Counter find(LimitScope scope) {
        return scope.type() == LimitScope.Type.WORKFLOW ? runs.get(scope) : counters.get(scope);
    }

    private Counter obtain(LimitScope scope) {
        if (scope.type() != LimitScope.Type.WORKFLOW) {
            return counters.computeIfAbsent(scope, s -> new Counter());
        }
        Counter counter = runs.computeIfAbsent(scope, s -> new Counter());
        if (runs.size() > maxTrackedRuns) {
            evictIdleRun(scope);
        }
        return counter;
    }

    /** Forgets the least recently used run, other than {@code keep}, that has no call in flight. */
    private void evictIdleRun(LimitScope keep) {
        Iterator<Map.Entry<LimitScope, Counter>> eldest = runs.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<LimitScope, Counter> candidate = eldest.next();
            if (candidate.getValue().reservedSteps == 0 && candidate.getValue().reservedCost.signum() == 0
                    && !candidate.getKey().equals(keep)) {
                eldest.remove();
                return;
            }
        }
    }
}
