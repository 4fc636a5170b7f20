package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.approval.RunClaim;
import dev.agentgateway.core.approval.RunNotResumableException;
import dev.agentgateway.core.provider.ToolCall;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The durable approvals of tool-calling runs, as the tool loop uses them: whether a run can pause
 * for a person's decision, the approvals it asks for when it does, and the claim that lets exactly
 * one instance resume it once they are decided.
 *
 * @param claimant     who claims runs here (this instance)
 * @param claimTimeout after this long a claim whose instance died can be taken over
 */
record RunApprovals(Approvals approvals, String claimant, Duration claimTimeout) {

    RunApprovals {
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(claimant, "claimant");
        Objects.requireNonNull(claimTimeout, "claimTimeout");
    }

    /**
     * A run pauses for approval only where it can be resumed: it has a workflow id and its
     * checkpoints are on. Elsewhere an approval-required tool without a handler is denied.
     */
    static boolean canPause(RunApprovals approvals, GatewayCall call, boolean checkpointsOn) {
        return approvals != null && checkpointsOn && call.workflowId() != null;
    }

    /** Asks for approval of {@code awaiting} (once per tool call) and ends the caller's wait with the typed outcome. */
    RunAwaitingApprovalException ask(GatewayCall call, List<ToolCall> awaiting) {
        List<Approval> asked = approvals.request(call.workflowId(), call.agentId(), call.tenant(), awaiting);
        return new RunAwaitingApprovalException(call.workflowId(), asked.stream().map(Approval::request).toList());
    }

    /**
     * Claims the run for this instance.
     *
     * @throws RunNotResumableException when an approval is still pending, another instance holds the run, or it has none
     */
    RunClaim claim(String workflowId) {
        approvals.expireOverdue();
        Instant now = approvals.clock().instant();
        return approvals.store().claim(workflowId, claimant, now, now.minus(claimTimeout))
                .orElseThrow(() -> RunNotResumableException.of(workflowId, approvals.forRun(workflowId)));
    }

    /** The approved turn is over and checkpointed: the run's approvals are done. */
    void finish(RunClaim claim) {
        approvals.store().finish(claim.workflowId(), claim.claimant());
    }
}
