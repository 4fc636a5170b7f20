package dev.agentgateway.core.approval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Approvals in memory, for one JVM: decisions and claims are exactly-once within it, and gone
 * with it. Keeps at most {@code maxApprovals}, dropping the oldest finished ones first, and never a
 * pending one. Every operation holds one lock (approvals are few and slow; simplicity wins).
 */
public final class InMemoryApprovalStore implements ApprovalStore {

    public static final int DEFAULT_MAX_APPROVALS = 10_000;

    private final int maxApprovals;
    private final Map<String, Approval> byId = new LinkedHashMap<>();
    private final Map<String, Instant> claimedAt = new LinkedHashMap<>();

    public InMemoryApprovalStore() {
        this(DEFAULT_MAX_APPROVALS);
    }

    public InMemoryApprovalStore(int maxApprovals) {
        if (maxApprovals < 1) {
            throw new IllegalArgumentException("maxApprovals must be at least 1, was " + maxApprovals);
        }
        this.maxApprovals = maxApprovals;
    }

    @Override
    public synchronized List<Approval> create(List<PendingApproval> approvals) {
        List<Approval> stored = new ArrayList<>(approvals.size());
        for (PendingApproval request : approvals) {
            Approval existing = findByToolCall(request.workflowId(), request.toolCallId());
            if (existing == null) {
                existing = Approval.pending(request);
                byId.put(request.id(), existing);
            }
            stored.add(existing);
        }
        evictFinished();
        return stored;
    }

    @Override
    public synchronized Optional<Approval> find(String approvalId) {
        return Optional.ofNullable(byId.get(approvalId));
    }

    @Override
    public synchronized List<Approval> pending(int limit) {
        return byId.values().stream().filter(Approval::isPending)
                .sorted(Comparator.comparing(a -> a.request().requestedAt())).limit(limit).toList();
    }

    @Override
    public synchronized long countPending() {
        return byId.values().stream().filter(Approval::isPending).count();
    }

    @Override
    public synchronized List<Approval> forRun(String workflowId) {
        return byId.values().stream().filter(a -> a.workflowId().equals(workflowId))
                .sorted(Comparator.comparing(a -> a.request().requestedAt())).toList();
    }

    @Override
    public synchronized Approval decide(String approvalId, ApprovalDecision decision) {
        Objects.requireNonNull(decision, "decision");
        Approval current = byId.get(approvalId);
        if (current == null) {
            throw new ApprovalNotFoundException(approvalId);
        }
        if (!current.isPending()) {
            throw new ApprovalAlreadyDecidedException(current);
        }
        if (current.request().expiredAt(decision.decidedAt())) {
            Approval expired = current.decided(ApprovalDecision.expired(decision.decidedAt()));
            byId.put(approvalId, expired);
            throw new ApprovalAlreadyDecidedException(expired);
        }
        Approval decided = current.decided(decision);
        byId.put(approvalId, decided);
        return decided;
    }

    @Override
    public synchronized int expire(Instant now) {
        int expired = 0;
        for (Map.Entry<String, Approval> entry : byId.entrySet()) {
            Approval approval = entry.getValue();
            if (approval.isPending() && approval.request().expiredAt(now)) {
                entry.setValue(approval.decided(ApprovalDecision.expired(now)));
                expired++;
            }
        }
        return expired;
    }

    @Override
    public synchronized Optional<RunClaim> claim(String workflowId, String claimant, Instant now, Instant staleBefore) {
        List<Approval> run = open(workflowId);
        if (!claimable(run, staleBefore)) {
            return Optional.empty();
        }
        List<Approval> claimed = new ArrayList<>(run.size());
        for (Approval approval : run) {
            Approval mine = approval.claimed(claimant);
            byId.put(approval.id(), mine);
            claimed.add(mine);
        }
        claimedAt.put(workflowId, now);
        return Optional.of(new RunClaim(workflowId, claimant, claimed));
    }

    @Override
    public synchronized List<String> claimable(Instant staleBefore, int limit) {
        Set<String> runs = new LinkedHashSet<>();
        byId.values().forEach(a -> runs.add(a.workflowId()));
        return runs.stream().filter(run -> claimable(open(run), staleBefore)).limit(limit).toList();
    }

    /** The approvals of a run that are not done (a run pauses again for a later turn's tools). */
    private List<Approval> open(String workflowId) {
        return forRun(workflowId).stream().filter(a -> a.state() != Approval.State.DONE).toList();
    }

    private boolean claimable(List<Approval> run, Instant staleBefore) {
        if (run.isEmpty()) {
            return false;
        }
        for (Approval approval : run) {
            switch (approval.state()) {
                case PENDING, DONE -> {
                    return false;
                }
                case RESUMING -> {
                    Instant at = claimedAt.get(approval.workflowId());
                    if (at != null && !at.isBefore(staleBefore)) {
                        return false;
                    }
                }
                case DECIDED -> {
                }
            }
        }
        return true;
    }

    @Override
    public synchronized void finish(String workflowId, String claimant) {
        for (Approval approval : forRun(workflowId)) {
            if (approval.state() == Approval.State.RESUMING && Objects.equals(approval.claimedBy(), claimant)) {
                byId.put(approval.id(), approval.done());
            }
        }
        claimedAt.remove(workflowId);
    }

    @Override
    public synchronized void clear() {
        byId.clear();
        claimedAt.clear();
    }

    private Approval findByToolCall(String workflowId, String toolCallId) {
        for (Approval approval : byId.values()) {
            if (approval.workflowId().equals(workflowId) && approval.request().toolCallId().equals(toolCallId)) {
                return approval;
            }
        }
        return null;
    }

    private void evictFinished() {
        var iterator = byId.values().iterator();
        while (byId.size() > maxApprovals && iterator.hasNext()) {
            if (iterator.next().state() == Approval.State.DONE) {
                iterator.remove();
            }
        }
    }
}
