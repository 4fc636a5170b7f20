package dev.agentgateway.core.limits;

import dev.agentgateway.core.limits.internal.LimitWarnings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Enforces the {@link ExecutionLimits} on the scopes of each call (global, tenant, agent,
 * workflow run) through a {@link BudgetLedger}: the run clock of the time limit, reservations
 * made before a call and settled after it (committed or released), failed calls, and a
 * {@link LimitWarning} the first time a limit reaches its warning threshold.
 */
public final class LimitEnforcer {

    private static final Logger log = LoggerFactory.getLogger("dev.agentgateway.core.Gateway");

    private volatile ExecutionLimits limits;
    private final BudgetLedger ledger;
    private final Clock clock;
    private final LimitWarnings warnings;
    private final AtomicReference<Instant> startedAt = new AtomicReference<>();
    private final Map<String, LimitActions> actions;

    /** @param warningSink told of each warning once per limit and scope, on the calling thread */
    public LimitEnforcer(ExecutionLimits limits, BudgetLedger ledger, Clock clock, Consumer<LimitWarning> warningSink) {
        this(limits, ledger, clock, warningSink, Map.of());
    }

    /** @param actions what each agent's runs do at a limit, by agent id ({@link LimitActions#FAIL} for the others) */
    public LimitEnforcer(ExecutionLimits limits, BudgetLedger ledger, Clock clock, Consumer<LimitWarning> warningSink,
                         Map<String, LimitActions> actions) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.warnings = new LimitWarnings(warningSink);
        this.actions = Map.copyOf(actions);
    }

    /** What {@code agentId}'s runs do at a limit. */
    public LimitActions actionsOf(String agentId) {
        return agentId == null ? LimitActions.FAIL : actions.getOrDefault(agentId, LimitActions.FAIL);
    }

    /**
     * The scopes of an ordinary call of a run whose agent finishes at a limit: each limit less what
     * it keeps back for the run's last call, so no ordinary call of any thread can spend it.
     */
    public List<ScopedLimit> scopesHeldBack(String agentId, String tenant, String workflowId) {
        LimitActions held = actionsOf(agentId);
        List<ScopedLimit> scopes = scopesOf(agentId, tenant, workflowId);
        if (!held.finishesAny()) {
            return scopes;
        }
        List<ScopedLimit> reduced = new ArrayList<>(scopes.size());
        for (ScopedLimit scope : scopes) {
            reduced.add(new ScopedLimit(scope.scope(), held.heldBack(scope.limits())));
        }
        return reduced;
    }

    /** Whether any budget of these scopes has reached its warning threshold (committed and reserved spend). */
    public boolean pastBudgetWarning(List<ScopedLimit> scopes) {
        BigDecimal threshold = BigDecimal.valueOf(limits.warningThreshold());
        for (ScopedLimit scope : scopes) {
            BigDecimal max = scope.limits().maxBudget();
            if (max != null && max.signum() > 0) {
                ScopeUsage usage = ledger.usage(scope.scope());
                if (usage.committedCost().add(usage.reservedCost()).compareTo(max.multiply(threshold)) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    public ExecutionLimits limits() {
        return limits;
    }

    /** Replaces the limits; the next call is checked against the new ones, and warnings may fire again. */
    public void update(ExecutionLimits newLimits) {
        this.limits = Objects.requireNonNull(newLimits, "limits");
        warnings.clear();
        log.info("Execution limits updated");
    }

    public BudgetLedger ledger() {
        return ledger;
    }

    /** The scopes a call counts on, each with its limits: global, its tenant, its agent, its run. */
    public List<ScopedLimit> scopesOf(String agentId, String tenant, String workflowId) {
        ExecutionLimits current = limits;
        List<ScopedLimit> scopes = new ArrayList<>(4);
        add(scopes, LimitScope.global(), current);
        if (tenant != null) {
            add(scopes, LimitScope.tenant(tenant), current);
        }
        add(scopes, LimitScope.agent(agentId), current);
        if (workflowId != null) {
            add(scopes, LimitScope.workflow(workflowId), current);
        }
        return scopes;
    }

    private static void add(List<ScopedLimit> scopes, LimitScope scope, ExecutionLimits current) {
        scopes.add(new ScopedLimit(scope, current.limitsFor(scope)));
    }

    /** Whether a money limit applies on any of these scopes. */
    public static boolean underMoneyLimit(List<ScopedLimit> scopes) {
        for (int i = 0; i < scopes.size(); i++) {
            if (scopes.get(i).limits().maxBudget() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the time limit (starting the run clock at the first call), then reserves one step and
     * {@code estimate} USD on every scope, all or nothing.
     *
     * @throws ExecutionLimitException when the time is up or a scope cannot hold the call
     */
    public Reservation reserve(String agentId, List<ScopedLimit> scopes, BigDecimal estimate) {
        checkTime(agentId, limits);
        return ledger.reserve(agentId, scopes, estimate);
    }

    /**
     * Reserves a tool's cost per call on every scope, all or nothing, without a step: committed
     * with {@link #commit} once the tool ran, released when it did not.
     *
     * @throws BudgetExceededException when a scope's budget cannot hold it
     */
    public Reservation reserveCost(String agentId, List<ScopedLimit> scopes, BigDecimal amount) {
        return ledger.reserveCost(agentId, scopes, amount);
    }

    /** Gives back a reservation whose call never ran, without counting a failed call. */
    public void releaseUnused(Reservation reservation) {
        ledger.release(reservation, false);
    }

    /**
     * Settles a reservation at the actual cost, even past the reservation (an over-run is reported,
     * never hidden).
     *
     * @return the usage of the reservation's scopes after the commit, for {@link #checkWarnings}
     */
    public List<ScopeUsage> commit(Reservation reservation, BigDecimal cost, long inputTokens, long outputTokens) {
        return ledger.commit(reservation, cost, inputTokens, outputTokens);
    }

    /** Fires the warnings that usage after a commit reached (once per limit and scope). */
    public void checkWarnings(List<ScopeUsage> usages) {
        warnings.check(limits, usages);
    }

    /** Gives a reservation back, counting a failed call. */
    public void release(Reservation reservation) {
        ledger.release(reservation, true);
    }

    /** Counts a failed call on a call's scopes without a reservation (a refusal, a loop). */
    public void countFailedCall(String agentId, String tenant, String workflowId) {
        List<ScopedLimit> scopes = scopesOf(agentId, tenant, workflowId);
        List<LimitScope> plain = new ArrayList<>(scopes.size());
        for (ScopedLimit scope : scopes) {
            plain.add(scope.scope());
        }
        ledger.countFailedCall(Collections.unmodifiableList(plain));
    }

    private void checkTime(String agentId, ExecutionLimits current) {
        Instant now = clock.instant();
        if (startedAt.get() == null) { // read first: a failing CAS still takes the cache line from the other cores
            startedAt.compareAndSet(null, now);
        }
        if (current.maxTime() == null) {
            return;
        }
        double elapsed = secondsBetween(startedAt.get(), now);
        double limitSeconds = current.maxTime().toNanos() / 1e9; // maxTimeSeconds() would box it, on every call
        if (elapsed >= limitSeconds) {
            throw new TimeLimitExceededException(agentId, elapsed, limitSeconds);
        }
        warnings.checkTime(current, elapsed, limitSeconds); // only before the limit: the refusal is an event of its own
    }

    /** Starts the time limit's clock now (otherwise it starts at the first call). */
    public void start() {
        startedAt.set(clock.instant());
    }

    public double elapsedSeconds() {
        Instant start = startedAt.get();
        return start == null ? 0.0 : secondsBetween(start, clock.instant());
    }

    /** A consistent snapshot of the global figures. */
    public ExecutionMetrics metrics() {
        ScopeUsage global = ledger.usage(LimitScope.global());
        return new ExecutionMetrics(global.committedCost(), global.committedSteps(), global.inputTokens(),
                global.outputTokens(), elapsedSeconds(), global.committedSteps(), global.failedCalls());
    }

    /**
     * The seed's {@code get_metrics()}: exactly {@code total_cost, total_steps, total_tokens,
     * input_tokens, output_tokens, elapsed_seconds, remaining{budget,steps,time}, call_count}.
     */
    public Map<String, Object> metricsMap() {
        ExecutionMetrics metrics = metrics();
        ExecutionLimits current = limits;
        Map<String, Object> remaining = new LinkedHashMap<>();
        remaining.put("budget", current.maxBudget() == null ? null : nonNegative(current.maxBudget().subtract(metrics.totalCost())));
        remaining.put("steps", current.maxSteps() == null ? null : Math.max(0L, current.maxSteps() - metrics.totalSteps()));
        remaining.put("time", current.maxTime() == null ? null : Math.max(0.0, current.maxTimeSeconds() - metrics.elapsedSeconds()));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("total_cost", metrics.totalCost());
        map.put("total_steps", metrics.totalSteps());
        map.put("total_tokens", metrics.totalTokens());
        map.put("input_tokens", metrics.inputTokens());
        map.put("output_tokens", metrics.outputTokens());
        map.put("elapsed_seconds", metrics.elapsedSeconds());
        map.put("remaining", Collections.unmodifiableMap(remaining));
        map.put("call_count", metrics.callCount());
        return Collections.unmodifiableMap(map);
    }

    public ScopeUsage usage(LimitScope scope) {
        return ledger.usage(scope);
    }

    public List<ScopeUsage> usages(LimitScope.Type type) {
        return ledger.usages(type);
    }

    /** Forgets a finished workflow run's usage. */
    public void forgetRun(String workflowId) {
        ledger.forget(LimitScope.workflow(workflowId));
    }

    /** Zeroes usage, reservations, warnings and the run clock. */
    public void reset() {
        ledger.reset();
        warnings.clear();
        startedAt.set(null);
    }

    /** How a refusal names the scope of a limit: {@code global}, or {@code <type>:<id>}. */
    public static String refusedBy(LimitScope scope) {
        return scope.type() == LimitScope.Type.GLOBAL ? "global" : scope.type().name().toLowerCase(Locale.ROOT) + ":" + scope.id();
    }

    /** As {@code Duration.between(from, to).toNanos() / 1e9}, without making the Duration. */
    private static double secondsBetween(Instant from, Instant to) {
        long nanos = Math.addExact(Math.multiplyExact(to.getEpochSecond() - from.getEpochSecond(), 1_000_000_000L),
                to.getNano() - from.getNano());
        return nanos / 1e9;
    }

    private static BigDecimal nonNegative(BigDecimal value) {
        return value.signum() < 0 ? BigDecimal.ZERO : value;
    }
}
