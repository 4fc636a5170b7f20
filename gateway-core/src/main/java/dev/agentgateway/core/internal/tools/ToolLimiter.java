package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.tools.ToolAccessRule;
import dev.agentgateway.core.tools.ToolLimits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-tool limits of the gateway: which {@link ToolLimits} a tool falls under (its own name,
 * else the first pattern that matches it, in the order given), whether a call may run (calls per
 * run, calls per agent, the budget its cost needs), and how long a result may be. A tool under a
 * pattern shares the pattern's counts with the other tools it matches.
 */
public final class ToolLimiter {

    /** How the result of a call a limit refused begins; the model reads it as the tool's answer. */
    public static final String LIMIT_REACHED = "tool limit reached: ";

    private final Map<String, ToolLimits> exact = new HashMap<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final Integer defaultMaxResultSize;
    private final LimitEnforcer limits;
    private final ConcurrentHashMap<String, AtomicInteger> callsByAgent = new ConcurrentHashMap<>();

    /**
     * @param byTool               limits by tool name or name pattern ({@code *}, {@code ?}), in order
     * @param defaultMaxResultSize characters of a result before it is cut, for tools that set none; {@code null}: no cut
     */
    public ToolLimiter(Map<String, ToolLimits> byTool, Integer defaultMaxResultSize, LimitEnforcer limits) {
        new LinkedHashMap<>(byTool).forEach((name, toolLimits) -> {
            if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0) {
                patterns.add(new Pattern(name, ToolAccessRule.forTool(name), toolLimits));
            } else {
                exact.put(name, toolLimits);
            }
        });
        this.defaultMaxResultSize = defaultMaxResultSize;
        this.limits = limits;
    }

    /** A limiter without limits and without a size cap. */
    public static ToolLimiter none(LimitEnforcer limits) {
        return new ToolLimiter(Map.of(), null, limits);
    }

    /** Whether some tool has a cost per call (which needs a ledger that holds a cost without a step). */
    public String firstCharged() {
        for (Map.Entry<String, ToolLimits> entry : entries()) {
            if (entry.getValue().charged()) {
                return entry.getKey();
            }
        }
        return null;
    }

    private List<Map.Entry<String, ToolLimits>> entries() {
        List<Map.Entry<String, ToolLimits>> all = new ArrayList<>(exact.entrySet());
        patterns.forEach(pattern -> all.add(Map.entry(pattern.name(), pattern.limits())));
        return all;
    }

    /** A name pattern, matched as the access rules match theirs. */
    private record Pattern(String name, ToolAccessRule matcher, ToolLimits limits) {
    }

    /** The name or pattern whose limits {@code tool} falls under, or {@code null}. */
    String keyOf(String tool) {
        if (exact.containsKey(tool)) {
            return tool;
        }
        Pattern pattern = patternOf(tool);
        return pattern == null ? null : pattern.name();
    }

    private Pattern patternOf(String tool) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher().appliesTo(tool)) {
                return pattern;
            }
        }
        return null;
    }

    ToolLimits limitsOf(String tool) {
        ToolLimits own = exact.get(tool);
        if (own != null) {
            return own;
        }
        Pattern pattern = patternOf(tool);
        return pattern == null ? ToolLimits.none() : pattern.limits();
    }

    boolean exempt(String tool) {
        return limitsOf(tool).exemptFromSteps();
    }

    /**
     * Decides whether {@code call} may run, counting it on the run and the agent and reserving its
     * cost; when a limit refuses it, nothing stays counted or reserved. Called for the calls of a
     * turn one after another, on the run's thread.
     */
    Admission admit(ToolTurnExecutor.TurnScope scope, ToolCall call) {
        String key = keyOf(call.name());
        if (key == null) {
            scope.tally().countAlways(call.name());
            return Admission.FREE;
        }
        ToolLimits toolLimits = limitsOf(call.name());
        String tool = call.name();
        if (toolLimits.maxCallsPerRun() != null
                && !scope.tally().tryCount(tool, name -> key.equals(keyOf(name)), toolLimits.maxCallsPerRun())) {
            return Admission.refused(LIMIT_REACHED + "'" + tool + "' may be called " + toolLimits.maxCallsPerRun()
                    + " time(s) in one run" + sharedBy(key, tool) + " and this run has used them all. Do not call it again;"
                    + " go on without it.");
        }
        if (toolLimits.maxCallsPerRun() == null) {
            scope.tally().countAlways(tool);
        }
        AtomicInteger agentCalls = null;
        if (toolLimits.maxCallsPerAgent() != null) {
            agentCalls = callsByAgent.computeIfAbsent(scope.agentId() + '\u0000' + key, k -> new AtomicInteger());
            if (!tryIncrement(agentCalls, toolLimits.maxCallsPerAgent())) {
                scope.tally().uncount(tool);
                return Admission.refused(LIMIT_REACHED + "agent '" + scope.agentId() + "' may call '" + tool + "' "
                        + toolLimits.maxCallsPerAgent() + " time(s)" + sharedBy(key, tool)
                        + " and has used them all. Do not call it again; go on without it.");
            }
        }
        if (!toolLimits.charged()) {
            return Admission.FREE;
        }
        try {
            Reservation reservation = limits.reserveCost(scope.agentId(),
                    limits.scopesOf(scope.agentId(), scope.tenant(), scope.workflowId()), toolLimits.costPerCall());
            return new Admission(null, reservation, toolLimits.costPerCall());
        } catch (BudgetExceededException e) {
            scope.tally().uncount(tool);
            if (agentCalls != null) {
                agentCalls.decrementAndGet();
            }
            return Admission.refused(LIMIT_REACHED + "a call of '" + tool + "' costs " + toolLimits.costPerCall().toPlainString()
                    + " USD and the budget of " + e.scope() + " cannot hold it. Do not call it again; go on without it.");
        }
    }

    /** The tool ran (or may have): its cost is charged. Once per admission, from whichever thread. */
    void ran(Admission admission, RunTally tally) {
        if (admission.reservation != null && admission.state.compareAndSet(Admission.STARTED, Admission.SETTLED)) {
            limits.checkWarnings(limits.commit(admission.reservation, admission.cost, 0, 0));
            tally.toolCost(admission.cost);
        }
    }

    /** The tool never started (it was cancelled or could not be submitted): its reservation goes back. */
    void unused(Admission admission) {
        if (admission.reservation != null && admission.state.compareAndSet(Admission.WAITING, Admission.SETTLED)) {
            limits.releaseUnused(admission.reservation);
        }
    }

    /**
     * {@code result} cut to the tool's size limit, with a marker the model can read, or
     * {@code null} when it fits.
     */
    String cut(String tool, String result) {
        Integer own = limitsOf(tool).maxResultSize();
        Integer max = own != null ? own : defaultMaxResultSize;
        if (max == null || result == null || result.length() <= max) {
            return null;
        }
        int end = Character.isHighSurrogate(result.charAt(max - 1)) ? max - 1 : max;
        return result.substring(0, end) + "\n[truncated by the gateway: the result was " + result.length()
                + " characters, only the first " + end + " are shown]";
    }

    /** Forgets the calls counted per agent. */
    public void reset() {
        callsByAgent.clear();
    }

    private static String sharedBy(String key, String tool) {
        return key.equals(tool) ? "" : " (together with the other tools matching '" + key + "')";
    }

    private static boolean tryIncrement(AtomicInteger counter, int max) {
        while (true) {
            int current = counter.get();
            if (current >= max) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * A call a limit let through (with the reservation of its cost, if it has one) or refused.
     * Its reservation is settled once: committed when the tool started, released when it never did.
     */
    static final class Admission {
        static final int WAITING = 0;
        static final int STARTED = 1;
        static final int SETTLED = 2;
        static final Admission FREE = new Admission(null, null, null);

        final String refusal;
        final Reservation reservation;
        final BigDecimal cost;
        final AtomicInteger state = new AtomicInteger(WAITING);

        Admission(String refusal, Reservation reservation, BigDecimal cost) {
            this.refusal = refusal;
            this.reservation = reservation;
            this.cost = cost;
        }

        static Admission refused(String message) {
            return new Admission(message, null, null);
        }

        /** On the worker, before the tool runs: false when the call was given up meanwhile (do not run it). */
        boolean begin() {
            return reservation == null || state.compareAndSet(WAITING, STARTED);
        }
    }
}
