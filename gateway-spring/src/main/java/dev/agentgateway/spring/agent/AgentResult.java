package dev.agentgateway.spring.agent;

import dev.agentgateway.core.approval.PendingApproval;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.provider.RunTotals;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link Agent} method declared to return {@code AgentResult<T>} gives back: the answer
 * (converted to {@code T} as the method would return it), or, when the run paused for approval,
 * the run id and the approvals it waits for. Without it, a paused run reaches the caller as
 * {@link RunAwaitingApprovalException}. The answer of a run resumed later is published as
 * {@code ApprovedRunResumedEvent}.
 *
 * @param <T> the answer's type
 */
public final class AgentResult<T> {

    private final T answer;
    private final String runId;
    private final List<PendingApproval> pending;
    private final RunTotals runTotals;

    private AgentResult(T answer, String runId, List<PendingApproval> pending, RunTotals runTotals) {
        this.answer = answer;
        this.runId = runId;
        this.pending = List.copyOf(pending);
        this.runTotals = runTotals;
    }

    public static <T> AgentResult<T> answered(T answer, String runId) {
        return answered(answer, runId, null);
    }

    /** An answer with what its whole run cost. */
    public static <T> AgentResult<T> answered(T answer, String runId, RunTotals runTotals) {
        return new AgentResult<>(answer, runId, List.of(), runTotals);
    }

    public static <T> AgentResult<T> pending(RunAwaitingApprovalException paused) {
        Objects.requireNonNull(paused, "paused");
        return new AgentResult<>(null, paused.workflowId(), paused.approvals(), null);
    }

    /**
     * What the whole run cost (model calls, tokens, tool calls, the tools' cost), as its history
     * sums it; {@code null} while the run is pending.
     */
    public RunTotals runTotals() {
        return runTotals;
    }

    /** True when the run paused for approval and has no answer yet. */
    public boolean isPending() {
        return !pending.isEmpty();
    }

    /**
     * The answer.
     *
     * @throws IllegalStateException when the run is pending: there is no answer yet
     */
    public T answer() {
        if (isPending()) {
            throw new IllegalStateException("Run '" + runId + "' awaits approval of " + pending.size()
                    + " tool call(s): it has no answer yet");
        }
        return answer;
    }

    /** The approvals the run waits for; empty when it answered. */
    public List<PendingApproval> pending() {
        return pending;
    }

    /** The run's workflow id ({@code null} for an answered call that named none). */
    public String runId() {
        return runId;
    }

    @Override
    public String toString() {
        return isPending() ? "AgentResult[pending run " + runId + ": " + pending.size() + " approval(s)]"
                : "AgentResult[answered]";
    }
}
