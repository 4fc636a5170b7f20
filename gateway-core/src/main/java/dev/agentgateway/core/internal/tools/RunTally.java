package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.RunTotals;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one tool-calling run has used so far: the calls of each tool that ran (for the per-run
 * limits) and its totals (for the answer's {@link RunTotals}). Told from the run's thread and
 * from the tool workers, so every method holds the tally's lock.
 */
public final class RunTally {

    private final Map<String, Integer> callsByTool = new HashMap<>();
    private RunTotals totals;
    private boolean lastTurnExempt;

    RunTally(RunTotals start) {
        this.totals = start;
    }

    /**
     * The tally of a run resumed from its checkpoint: the tools that ran are the tool results in
     * the conversation and the results the interrupted turn already has, less those a limit
     * refused (they did not run).
     */
    static RunTally resumed(RunTotals totals, List<LlmMessage> messages, Map<String, String> completedResults,
                            Map<String, String> toolNamesById) {
        RunTally tally = new RunTally(totals);
        Predicate<String> ran = content -> content == null || !content.startsWith(ToolLimiter.LIMIT_REACHED);
        for (LlmMessage message : messages) {
            if (message.role() == LlmMessage.Role.TOOL && message.name() != null && ran.test(message.content())) {
                tally.callsByTool.merge(message.name(), 1, Integer::sum);
            }
        }
        completedResults.forEach((id, content) -> {
            String name = toolNamesById.get(id);
            if (name != null && ran.test(content)) {
                tally.callsByTool.merge(name, 1, Integer::sum);
            }
        });
        return tally;
    }

    /**
     * Counts one more call of {@code tool} if the tools {@code sameLimit} matches (the tools a
     * limit counts together) have run fewer than {@code max} times in this run.
     */
    synchronized boolean tryCount(String tool, Predicate<String> sameLimit, int max) {
        int used = 0;
        for (Map.Entry<String, Integer> entry : callsByTool.entrySet()) {
            if (sameLimit.test(entry.getKey())) {
                used += entry.getValue();
            }
        }
        if (used >= max) {
            return false;
        }
        callsByTool.merge(tool, 1, Integer::sum);
        return true;
    }

    /** Takes back a call counted by {@link #tryCount} that did not run after all. */
    synchronized void uncount(String tool) {
        callsByTool.computeIfPresent(tool, (name, calls) -> calls == 1 ? null : calls - 1);
    }

    synchronized void countAlways(String tool) {
        callsByTool.merge(tool, 1, Integer::sum);
    }

    synchronized void modelCall(CallRecord record) {
        totals = totals.plusModelCall(record.cost(), record.response().inputTokens(), record.response().outputTokens());
    }

    /** A tool call was recorded for the run. */
    synchronized void toolCall() {
        totals = totals.plusToolCall(null);
    }

    synchronized void toolCost(BigDecimal cost) {
        totals = totals.plusToolCost(cost);
    }

    synchronized RunTotals totals() {
        return totals;
    }

    /** Whether the last turn only ran tools exempt from the run's iteration count. */
    synchronized boolean lastTurnExempt() {
        return lastTurnExempt;
    }

    synchronized void lastTurnExempt(boolean exempt) {
        this.lastTurnExempt = exempt;
    }
}
