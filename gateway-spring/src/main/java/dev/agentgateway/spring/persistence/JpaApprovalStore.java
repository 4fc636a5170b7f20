package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.persistence.jpa.ApprovalEntity;
import dev.agentgateway.spring.persistence.jpa.ApprovalRepository;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalAlreadyDecidedException;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.approval.ApprovalNotFoundException;
import dev.agentgateway.core.approval.ApprovalStore;
import dev.agentgateway.core.approval.PendingApproval;
import dev.agentgateway.core.approval.RunClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Approvals in the application's database, shared by every instance on it. A decision and a
 * claim are each one conditional {@code update ... where state = …}: of instances deciding (or
 * claiming) at once, the database lets exactly one change the rows, and the others are told who
 * was first. Each operation is a transaction of its own, committed when the method returns. A row
 * the store cannot read back (an unknown state or verdict) is reported as rejected.
 */
public class JpaApprovalStore implements ApprovalStore {

    /** The tables this store needs. */
    public static final List<String> TABLES = List.of("agw_approval");

    private static final Logger log = LoggerFactory.getLogger(JpaApprovalStore.class);

    private final ApprovalRepository repository;
    private final TransactionTemplate transactions;

    public JpaApprovalStore(ApprovalRepository repository, PlatformTransactionManager transactionManager) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public List<Approval> create(List<PendingApproval> approvals) {
        try {
            return insertMissing(approvals);
        } catch (DataIntegrityViolationException raced) {
            return insertMissing(approvals); // another instance stored one of them first: now it is found
        }
    }

    private List<Approval> insertMissing(List<PendingApproval> approvals) {
        return transactions.execute(status -> {
            List<Approval> stored = new ArrayList<>(approvals.size());
            for (PendingApproval request : approvals) {
                Optional<ApprovalEntity> existing = repository.findByWorkflowIdAndToolCallId(request.workflowId(),
                        request.toolCallId());
                if (existing.isPresent()) {
                    stored.add(toApproval(existing.get()));
                } else {
                    repository.saveAndFlush(new ApprovalEntity(request.id(), request.workflowId(), request.agentId(),
                            request.tenant(), request.toolCallId(), request.toolName(), request.arguments(),
                            request.requestedAt(), request.expiresAt()));
                    stored.add(Approval.pending(request));
                }
            }
            return stored;
        });
    }

    @Override
    public Optional<Approval> find(String approvalId) {
        return repository.findById(approvalId).map(JpaApprovalStore::toApproval);
    }

    @Override
    public List<Approval> pending(int limit) {
        return repository.findPending(Limit.of(limit)).stream().map(JpaApprovalStore::toApproval).toList();
    }

    @Override
    public long countPending() {
        return repository.countByState(Approval.State.PENDING.name());
    }

    @Override
    public List<Approval> forRun(String workflowId) {
        return repository.findByWorkflowIdOrderByRequestedAtAscIdAsc(workflowId).stream()
                .map(JpaApprovalStore::toApproval).toList();
    }

    @Override
    public Approval decide(String approvalId, ApprovalDecision decision) {
        Objects.requireNonNull(decision, "decision");
        int updated = transactions.execute(status -> repository.decide(approvalId, decision.verdict().name(),
                decision.editedArguments(), decision.reason(), decision.decidedBy(), decision.decidedAt()));
        if (updated == 1) {
            return find(approvalId).orElseThrow(() -> new ApprovalNotFoundException(approvalId));
        }
        Approval current = find(approvalId).orElseThrow(() -> new ApprovalNotFoundException(approvalId));
        if (current.isPending()) { // still pending, so it was past its time-out: reject it as such
            expire(decision.decidedAt());
            current = find(approvalId).orElseThrow(() -> new ApprovalNotFoundException(approvalId));
        }
        throw new ApprovalAlreadyDecidedException(current);
    }

    @Override
    public int expire(Instant now) {
        return transactions.execute(status -> repository.expire(now, ApprovalDecision.EXPIRED_REASON,
                ApprovalDecision.GATEWAY));
    }

    @Override
    public Optional<RunClaim> claim(String workflowId, String claimant, Instant now, Instant staleBefore) {
        List<Approval> claimed = transactions.execute(status -> {
            int updated = repository.claim(workflowId, claimant, now, staleBefore);
            if (updated == 0 || updated != repository.countOpen(workflowId)) {
                status.setRollbackOnly(); // nothing decided, another instance holds it, or one still pending
                return List.of();
            }
            return forRun(workflowId).stream().filter(a -> a.state() == Approval.State.RESUMING
                    && claimant.equals(a.claimedBy())).toList();
        });
        return claimed.isEmpty() ? Optional.empty() : Optional.of(new RunClaim(workflowId, claimant, claimed));
    }

    @Override
    public List<String> claimable(Instant staleBefore, int limit) {
        return repository.findClaimable(staleBefore, Limit.of(limit));
    }

    @Override
    public void finish(String workflowId, String claimant) {
        transactions.executeWithoutResult(status -> repository.finish(workflowId, claimant));
    }

    @Override
    public void clear() {
        transactions.executeWithoutResult(status -> repository.deleteAllRows());
    }

    static Approval toApproval(ApprovalEntity entity) {
        PendingApproval request = new PendingApproval(entity.getId(), entity.getWorkflowId(), entity.getAgentId(),
                entity.getTenant(), entity.getToolCallId(), entity.getToolName(), entity.getArguments(),
                entity.getRequestedAt(), entity.getExpiresAt());
        Approval.State state = parse(Approval.State.class, entity.getState());
        if (state == Approval.State.PENDING) {
            return Approval.pending(request);
        }
        ApprovalDecision.Verdict verdict = parse(ApprovalDecision.Verdict.class, entity.getVerdict());
        if (state == null || verdict == null || entity.getDecidedAt() == null) {
            log.warn("Approval '{}' of run '{}' has state '{}' and verdict '{}', which this version cannot read: it is "
                    + "treated as rejected", entity.getId(), entity.getWorkflowId(), entity.getState(), entity.getVerdict());
            Instant at = entity.getDecidedAt() != null ? entity.getDecidedAt() : entity.getRequestedAt();
            return new Approval(request, ApprovalDecision.unreadable("its state", at),
                    state == null ? Approval.State.DECIDED : state, entity.getClaimedBy());
        }
        ApprovalDecision decision;
        try {
            decision = new ApprovalDecision(verdict, entity.getEditedArguments(), entity.getReason(), entity.getDecidedBy(),
                    entity.getDecidedAt());
        } catch (RuntimeException unreadable) {
            decision = ApprovalDecision.unreadable("its decision", entity.getDecidedAt());
        }
        return new Approval(request, decision, state, entity.getClaimedBy());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
