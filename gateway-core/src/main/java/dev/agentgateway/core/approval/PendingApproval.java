package dev.agentgateway.core.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * A tool call waiting for a person's decision. The run it belongs to is paused in a checkpoint
 * until every pending approval of the run is decided.
 *
 * @param id          the approval's id (how it is decided)
 * @param workflowId  the run that is paused
 * @param toolCallId  the model's id of the tool call
 * @param arguments   the model's JSON arguments, with secrets masked (the run keeps the real ones in its checkpoint)
 * @param expiresAt   after this instant the approval is rejected: an undecided approval never runs its tool
 */
public record PendingApproval(String id, String workflowId, String agentId, String tenant, String toolCallId,
                              String toolName, String arguments, Instant requestedAt, Instant expiresAt) {

    public PendingApproval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
