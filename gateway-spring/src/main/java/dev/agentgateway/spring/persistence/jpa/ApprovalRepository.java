package dev.agentgateway.spring.persistence.jpa;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Approvals of paused runs. Each change is one conditional update on the row's state: the
 * database's row locks make exactly one of concurrent deciders (or claimants) update the row, the
 * others see it changed and update nothing.
 */
public interface ApprovalRepository extends JpaRepository<ApprovalEntity, String> {

    Optional<ApprovalEntity> findByWorkflowIdAndToolCallId(String workflowId, String toolCallId);

    List<ApprovalEntity> findByWorkflowIdOrderByRequestedAtAscIdAsc(String workflowId);

    long countByState(String state);

    @Query("select a from AgwApproval a where a.state = 'PENDING' order by a.requestedAt, a.id")
    List<ApprovalEntity> findPending(Limit limit);

    /** Decides a pending approval that has not expired; 1 when this caller decided it. */
    @Modifying
    @Query("""
            update AgwApproval a set a.state = 'DECIDED', a.verdict = :verdict, a.editedArguments = :edited,
                a.reason = :reason, a.decidedBy = :by, a.decidedAt = :at
            where a.id = :id and a.state = 'PENDING' and a.expiresAt > :at""")
    int decide(@Param("id") String id, @Param("verdict") String verdict, @Param("edited") String editedArguments,
               @Param("reason") String reason, @Param("by") String decidedBy, @Param("at") Instant decidedAt);

    /** Rejects, as expired, the pending approvals whose time-out has passed. */
    @Modifying
    @Query("""
            update AgwApproval a set a.state = 'DECIDED', a.verdict = 'EXPIRED', a.reason = :reason, a.decidedBy = :by,
                a.decidedAt = :now
            where a.state = 'PENDING' and a.expiresAt <= :now""")
    int expire(@Param("now") Instant now, @Param("reason") String reason, @Param("by") String decidedBy);

    @Query("select count(a) from AgwApproval a where a.workflowId = :workflowId and a.state <> 'DONE'")
    long countOpen(@Param("workflowId") String workflowId);

    /** Claims the decided approvals of a run (and those of a stale claim) for {@code claimant}. */
    @Modifying
    @Query("""
            update AgwApproval a set a.state = 'RESUMING', a.claimedBy = :claimant, a.claimedAt = :now
            where a.workflowId = :workflowId
              and (a.state = 'DECIDED' or (a.state = 'RESUMING' and a.claimedAt < :staleBefore))""")
    int claim(@Param("workflowId") String workflowId, @Param("claimant") String claimant, @Param("now") Instant now,
              @Param("staleBefore") Instant staleBefore);

    @Query("""
            select distinct a.workflowId from AgwApproval a
            where (a.state = 'DECIDED' or (a.state = 'RESUMING' and a.claimedAt < :staleBefore))
              and not exists (select p.id from AgwApproval p where p.workflowId = a.workflowId and p.state = 'PENDING')
            order by a.workflowId""")
    List<String> findClaimable(@Param("staleBefore") Instant staleBefore, Limit limit);

    @Modifying
    @Query("""
            update AgwApproval a set a.state = 'DONE'
            where a.workflowId = :workflowId and a.state = 'RESUMING' and a.claimedBy = :claimant""")
    int finish(@Param("workflowId") String workflowId, @Param("claimant") String claimant);

    @Modifying
    @Query("delete from AgwApproval a")
    int deleteAllRows();
}
