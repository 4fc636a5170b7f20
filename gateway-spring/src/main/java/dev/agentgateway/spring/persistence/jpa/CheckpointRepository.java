package dev.agentgateway.spring.persistence.jpa;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.List;
import java.util.Optional;

/** Checkpoints of workflow runs. */
public interface CheckpointRepository extends JpaRepository<CheckpointEntity, CheckpointId> {

    /** The checkpoint with the highest step of a workflow. */
    Optional<CheckpointEntity> findFirstByWorkflowIdOrderByStepDesc(String workflowId);

    List<CheckpointEntity> findByWorkflowIdOrderByStepAsc(String workflowId);

    @Modifying
    @Query("delete from AgwCheckpoint c where c.workflowId = :workflowId")
    int deleteByWorkflow(@Param("workflowId") String workflowId);
}
