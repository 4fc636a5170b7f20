package dev.agentgateway.spring.persistence.jpa;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

import java.util.Optional;

/** The epoch of the shared budget ledger. */
public interface LedgerEpochRepository extends Repository<LedgerEpochEntity, Integer> {

    @Query("select e.epoch from AgwLedgerEpoch e where e.id = 1")
    Optional<Long> currentEpoch();

    /** Creates the epoch row when it is missing (a schema created by Hibernate rather than the scripts). */
    @Modifying
    @Query(nativeQuery = true, value = "insert into agw_ledger_epoch (id, epoch) select 1, 0 "
            + "where not exists (select 1 from agw_ledger_epoch where id = 1)")
    int insertIfAbsent();

    @Modifying
    @Query("update AgwLedgerEpoch e set e.epoch = e.epoch + 1 where e.id = 1")
    int increment();
}
