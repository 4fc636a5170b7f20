package dev.agentgateway.spring.persistence.jpa;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The tool calls of the history. */
public interface ToolCallRecordRepository extends JpaRepository<ToolCallRecordEntity, Long>,
        JpaSpecificationExecutor<ToolCallRecordEntity> {

    /** Ids of tool calls older than {@code cutoff}, oldest first: the next chunk for the retention purge. */
    @Query("select t.id from AgwToolCallRecord t where t.timestamp < :cutoff order by t.id")
    List<Long> findIdsOlderThan(@Param("cutoff") Instant cutoff, Limit limit);

    @Modifying
    @Query("delete from AgwToolCallRecord t where t.id in :ids")
    int deleteByIds(@Param("ids") Collection<Long> ids);
}
