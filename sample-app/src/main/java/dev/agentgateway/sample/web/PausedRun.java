package dev.agentgateway.sample.web;

import dev.agentgateway.core.approval.PendingApproval;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;

import java.time.Instant;
import java.util.List;

/** The answer to a run that paused for approval: its id and what it waits for (arguments with secrets masked). */
record PausedRun(String runId, String status, List<Waiting> approvals) {

    record Waiting(String id, String tool, String arguments, Instant expiresAt) {
    }

    static PausedRun of(RunAwaitingApprovalException paused) {
        return new PausedRun(paused.workflowId(), "AWAITING_APPROVAL", paused.approvals().stream()
                .map(PausedRun::waiting).toList());
    }

    private static Waiting waiting(PendingApproval approval) {
        return new Waiting(approval.id(), approval.toolName(), approval.arguments(), approval.expiresAt());
    }
}
