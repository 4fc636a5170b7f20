package dev.agentgateway.core.limits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger of one JVM. One lock guards all scopes: a reservation must check and take from
 * several scopes at once, and the critical section is a handful of additions, far cheaper than
 * the ordering discipline per-scope locks would need.
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

    private final Object lock = new Object();
    private final Map<LimitScope, Counter> counters = new HashMap<>();
    private long epoch;
    private long nextId;

    @Override
    public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
        synchronized (lock) {
            for (ScopedLimit scoped : scopes) {
                Integer maxSteps = scoped.limits().maxSteps();
                if (maxSteps != null) {
                    Counter counter = counters.get(scoped.scope());
                    long used = counter == null ? 0 : counter.committedSteps + counter.reservedSteps;
                    if (used + 1 > maxSteps) {
                        throw new StepLimitExceededException(scoped.scope(), agentId, used, maxSteps);
                    }
                }
            }
            for (ScopedLimit scoped : scopes) {
                BigDecimal maxBudget = scoped.limits().maxBudget();
                if (maxBudget != null) {
                    Counter counter = counters.get(scoped.scope());
                    BigDecimal spent = counter == null ? BigDecimal.ZERO : counter.committedCost.add(counter.reservedCost);
                    if (spent.compareTo(maxBudget) >= 0 || spent.add(estimate).compareTo(maxBudget) > 0) {
                        throw new BudgetExceededException(scoped.scope(), agentId, spent, estimate, maxBudget);
                    }
                }
            }
            long runStep = 0;
            List<LimitScope> reserved = new ArrayList<>(scopes.size());
            for (ScopedLimit scoped : scopes) {
                Counter counter = counters.computeIfAbsent(scoped.scope(), s -> new Counter());
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
    public List<ScopeUsage> commit(Reservation reservation, BigDecimal actualCost, long inputTokens, long outputTokens) {
        synchronized (lock) {
            if (reservation.epoch() != epoch) {
                return List.of();
            }
            List<ScopeUsage> after = new ArrayList<>(reservation.scopes().size());
            for (LimitScope scope : reservation.scopes()) {
                Counter counter = counters.computeIfAbsent(scope, s -> new Counter());
                counter.reservedSteps--;
                counter.reservedCost = counter.reservedCost.subtract(reservation.amount());
                counter.committedSteps++;
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
                Counter counter = counters.computeIfAbsent(scope, s -> new Counter());
                counter.reservedSteps--;
                counter.reservedCost = counter.reservedCost.subtract(reservation.amount());
                if (countAsFailure) {
                    counter.failedCalls++;
                }
            }
        }
    }

    @Override
    public ScopeUsage usage(LimitScope scope) {
        synchronized (lock) {
            Counter counter = counters.get(scope);
            return counter == null ? ScopeUsage.empty(scope) : counter.toUsage(scope);
        }
    }

    @Override
    public List<ScopeUsage> usages(LimitScope.Type type) {
        synchronized (lock) {
            List<ScopeUsage> result = new ArrayList<>();
            counters.forEach((scope, counter) -> {
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
        }
    }

    @Override
    public void reset() {
        synchronized (lock) {
            counters.clear();
            epoch++;
        }
    }
}
