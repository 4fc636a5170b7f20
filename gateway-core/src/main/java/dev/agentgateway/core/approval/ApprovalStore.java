package dev.agentgateway.core.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where approvals are kept while a person decides. Shared by every instance of an application
 * (the JPA store), it is what makes a decision taken on one instance resume the run on any other.
 *
 * <p>Every change is conditional: an approval is decided at most once and a run is claimed for
 * resumption by at most one instance, however many try at the same time. What the store cannot
 * read back is reported as rejected, never as approved.
 */
public interface ApprovalStore {

    /**
     * Stores these approvals as pending, all or none; an approval for a tool call of the same run
     * that is already stored is kept as it is (a resumed run asking again does not reset it).
     *
     * @return the approvals as stored, in the order given
     */
    List<Approval> create(List<PendingApproval> approvals);

    Optional<Approval> find(String approvalId);

    /** Pending approvals, oldest first, at most {@code limit}. */
    List<Approval> pending(int limit);

    /** How many approvals wait for a decision (expired ones included until {@link #expire} rejects them). */
    long countPending();

    /** Every approval of one run, oldest first. */
    List<Approval> forRun(String workflowId);

    /**
     * Decides a pending approval. An approval past its time-out is rejected as expired instead.
     *
     * @throws ApprovalNotFoundException       when there is no such approval
     * @throws ApprovalAlreadyDecidedException when it was decided before (the first decision stands), expired, or
     *                                         its run is being resumed
     */
    Approval decide(String approvalId, ApprovalDecision decision);

    /** Rejects, as expired, every pending approval whose time-out has passed; returns how many. */
    int expire(Instant now);

    /**
     * Claims a run whose approvals are all decided for {@code claimant} to resume; exactly one of
     * the instances that try wins. A claim older than {@code staleBefore} (its instance died while
     * resuming) can be taken over.
     *
     * @return the claim, or empty when the run still waits for a decision, has no approvals, or another instance holds it
     */
    Optional<RunClaim> claim(String workflowId, String claimant, Instant now, Instant staleBefore);

    /** Runs whose approvals are all decided and that nobody (or a stale claimant) is resuming, at most {@code limit}. */
    List<String> claimable(Instant staleBefore, int limit);

    /** The run went on after its decisions: its approvals are done. */
    void finish(String workflowId, String claimant);

    void clear();
}
