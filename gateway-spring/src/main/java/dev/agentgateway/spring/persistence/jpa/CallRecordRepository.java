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

/** The calls of the history; queried with specifications built from a {@code HistoryQuery}. */
public interface CallRecordRepository extends JpaRepository<CallRecordEntity, Long>, JpaSpecificationExecutor<CallRecordEntity> {

    /** Ids of calls older than {@code cutoff}, oldest first: the next chunk for the retention purge. */
    @Query("select c.id from AgwCallRecord c where c.timestamp < :cutoff order by c.id")
    List<Long> findIdsOlderThan(@Param("cutoff") Instant cutoff, Limit limit);

    @Modifying
    @Query("delete from AgwCallRecord c where c.id in :ids")
    int deleteByIds(@Param("ids") Collection<Long> ids);
}
