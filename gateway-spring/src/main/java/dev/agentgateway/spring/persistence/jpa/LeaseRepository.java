package dev.agentgateway.spring.persistence.jpa;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The leases on the shared budget ledger. A lease row is claimed by deleting it: of the instances
 * that try (its owner settling the call, others reclaiming it after it expired), exactly one
 * deletes the row and so gives its steps and money back, in the same transaction.
 */
public interface LeaseRepository extends Repository<LeaseEntity, LeaseKey> {

    /** Takes a lease on one ledger row (inserted as it is: the key is new, nothing to read first). */
    @Modifying
    @Query(nativeQuery = true, value = """
            insert into agw_lease (lease_id, scope_type, scope_id, window_key, instance_id, epoch, steps, amount,
                expires_at, created_at)
            values (:lease, :type, :id, :window, :instance, :epoch, :steps, :amount, :expiresAt, :now)""")
    int insert(@Param("lease") String leaseId, @Param("type") String type, @Param("id") String id,
               @Param("window") String window, @Param("instance") String instanceId, @Param("epoch") long epoch,
               @Param("steps") long steps, @Param("amount") BigDecimal amount, @Param("expiresAt") Instant expiresAt,
               @Param("now") Instant now);

    /**
     * Renews a lease on one row and sets what it holds (a slice after calls were settled from it, or
     * topped up); 1 when the lease still existed, 0 when another instance had ended it (expired and
     * reclaimed) or a reset had.
     */
    @Modifying
    @Query("""
            update AgwLease l set l.steps = :steps, l.amount = :amount, l.expiresAt = :expiresAt, l.epoch = :epoch
            where l.key.leaseId = :lease and l.key.scope.scopeType = :type and l.key.scope.scopeId = :id
              and l.key.scope.windowKey = :window""")
    int hold(@Param("lease") String leaseId, @Param("type") String type, @Param("id") String id,
             @Param("window") String window, @Param("epoch") long epoch, @Param("steps") long steps,
             @Param("amount") BigDecimal amount, @Param("expiresAt") Instant expiresAt);

    /** Ends a lease on one row; 1 when this caller ended it, 0 when it was already gone (reclaimed, or a reset). */
    @Modifying
    @Query("""
            delete from AgwLease l where l.key.leaseId = :lease and l.key.scope.scopeType = :type
              and l.key.scope.scopeId = :id and l.key.scope.windowKey = :window""")
    int end(@Param("lease") String leaseId, @Param("type") String type, @Param("id") String id,
            @Param("window") String window);

    /**
     * Ends a lease on one row if it expired before {@code now} and still holds what the caller read
     * ({@code steps}, {@code amount}); 1 when this caller ended it and so gives exactly that back.
     */
    @Modifying
    @Query("""
            delete from AgwLease l where l.key.leaseId = :lease and l.key.scope.scopeType = :type
              and l.key.scope.scopeId = :id and l.key.scope.windowKey = :window and l.expiresAt < :now
              and l.steps = :steps and l.amount = :amount""")
    int endExpired(@Param("lease") String leaseId, @Param("type") String type, @Param("id") String id,
                   @Param("window") String window, @Param("now") Instant now, @Param("steps") long steps,
                   @Param("amount") BigDecimal amount);

    @Query("select l from AgwLease l where l.expiresAt < :now order by l.key.leaseId")
    List<LeaseEntity> findExpired(@Param("now") Instant now, Limit limit);

    @Modifying
    @Query("delete from AgwLease l where l.key.scope.scopeType = :type and l.key.scope.scopeId = :id")
    int deleteScope(@Param("type") String type, @Param("id") String id);

    @Modifying
    @Query("delete from AgwLease l")
    int deleteAllRows();
}
