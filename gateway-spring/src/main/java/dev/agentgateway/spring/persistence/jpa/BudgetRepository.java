package dev.agentgateway.spring.persistence.jpa;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The shared budget ledger. Every change is one {@code UPDATE} whose {@code WHERE} clause carries
 * the limit, so the database decides atomically whether a call fits; nothing is read first.
 */
public interface BudgetRepository extends Repository<BudgetEntity, BudgetKey> {

    /**
     * Reserves one step and {@code estimate} on one row if its limits hold: committed plus reserved
     * steps plus one within {@code maxSteps}, and committed plus reserved cost below
     * {@code maxBudget} with room for {@code estimate}. Returns 0 when the row is missing, belongs to
     * another epoch, or a limit would break.
     */
    @Modifying
    @Query("""
            update AgwBudget b set b.reservedSteps = b.reservedSteps + 1, b.reservedCost = b.reservedCost + :estimate,
                b.updatedAt = :now
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window and b.epoch = :epoch
              and (:checkSteps = false or b.committedSteps + b.reservedSteps + 1 <= :maxSteps)
              and (:checkBudget = false or (b.committedCost + b.reservedCost < :maxBudget
                                            and b.committedCost + b.reservedCost + :estimate <= :maxBudget))""")
    int reserve(@Param("type") String type, @Param("id") String id, @Param("window") String window,
                @Param("epoch") long epoch, @Param("estimate") BigDecimal estimate, @Param("checkSteps") boolean checkSteps,
                @Param("maxSteps") long maxSteps, @Param("checkBudget") boolean checkBudget,
                @Param("maxBudget") BigDecimal maxBudget, @Param("now") Instant now);

    /**
     * Replaces a reservation by the actual cost and tokens: adds one committed step and the cost, and
     * takes back what the call's lease still held ({@code heldSteps} and {@code heldAmount}: zero
     * when the lease had expired and was reclaimed before the call was settled).
     */
    @Modifying
    @Query("""
            update AgwBudget b set b.reservedSteps = b.reservedSteps - :heldSteps, b.reservedCost = b.reservedCost - :heldAmount,
                b.committedSteps = b.committedSteps + 1, b.committedCost = b.committedCost + :cost,
                b.inputTokens = b.inputTokens + :input, b.outputTokens = b.outputTokens + :output, b.updatedAt = :now
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window and b.epoch = :epoch""")
    int commit(@Param("type") String type, @Param("id") String id, @Param("window") String window,
               @Param("epoch") long epoch, @Param("heldSteps") long heldSteps, @Param("heldAmount") BigDecimal heldAmount,
               @Param("cost") BigDecimal cost, @Param("input") long inputTokens, @Param("output") long outputTokens,
               @Param("now") Instant now);

    /**
     * Gives back what a lease held ({@code heldSteps}, {@code heldAmount}: a settled call's own, or an
     * expired lease's), counting a failed call when {@code failed} is 1.
     */
    @Modifying
    @Query("""
            update AgwBudget b set b.reservedSteps = b.reservedSteps - :heldSteps, b.reservedCost = b.reservedCost - :heldAmount,
                b.failedCalls = b.failedCalls + :failed, b.updatedAt = :now
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window and b.epoch = :epoch""")
    int release(@Param("type") String type, @Param("id") String id, @Param("window") String window,
                @Param("epoch") long epoch, @Param("heldSteps") long heldSteps, @Param("heldAmount") BigDecimal heldAmount,
                @Param("failed") long failed, @Param("now") Instant now);

    /** Counts a failed call that held no reservation (a refused call). */
    @Modifying
    @Query("""
            update AgwBudget b set b.failedCalls = b.failedCalls + 1, b.updatedAt = :now
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window and b.epoch = :epoch""")
    int countFailure(@Param("type") String type, @Param("id") String id, @Param("window") String window,
                     @Param("epoch") long epoch, @Param("now") Instant now);

    /** Steps committed and reserved on a row: read after a reservation, under its row lock, for the run's step number. */
    @Query("""
            select b.committedSteps + b.reservedSteps from AgwBudget b
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window""")
    Optional<Long> usedSteps(@Param("type") String type, @Param("id") String id, @Param("window") String window);

    /** Creates a zero row for a scope and window unless one exists (a concurrent insert may still win: ignore that). */
    @Modifying
    @Query(nativeQuery = true, value = """
            insert into agw_budget (scope_type, scope_id, window_key, epoch, committed_steps, reserved_steps,
                committed_cost, reserved_cost, input_tokens, output_tokens, failed_calls, slices_wanted, updated_at)
            select :type, :id, :window, :epoch, 0, 0, 0, 0, 0, 0, 0, 0, :now
            where not exists (select 1 from agw_budget where scope_type = :type and scope_id = :id and window_key = :window)""")
    int insertIfAbsent(@Param("type") String type, @Param("id") String id, @Param("window") String window,
                       @Param("epoch") long epoch, @Param("now") Instant now);

    /** Zeroes a row left over from an earlier epoch and moves it to the current one. */
    @Modifying
    @Query("""
            update AgwBudget b set b.epoch = :current, b.committedSteps = 0, b.reservedSteps = 0, b.committedCost = 0,
                b.reservedCost = 0, b.inputTokens = 0, b.outputTokens = 0, b.failedCalls = 0, b.updatedAt = :now
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window and b.epoch = :stale""")
    int renew(@Param("type") String type, @Param("id") String id, @Param("window") String window,
              @Param("stale") long staleEpoch, @Param("current") long currentEpoch, @Param("now") Instant now);

    Optional<BudgetEntity> findByKey(BudgetKey key);

    /** The row, locked until the transaction ends: an instance sizing a slice decides from figures nobody else changes meanwhile. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select b from AgwBudget b where b.key = :key")
    Optional<BudgetEntity> lockByKey(@Param("key") BudgetKey key);

    /**
     * Writes what one instance did on a row since it last wrote: usage of settled calls (committed
     * steps, cost, tokens, failed calls), the change of the slice it holds ({@code reservedSteps},
     * {@code reservedCost}: a new slice, or calls settled from it, or what it gives back), and one
     * more 'wanted' when it was refused while others held slices. When a limit is given, only if the
     * row's committed plus reserved figures stay within it afterwards: a slice never takes more than
     * the limit leaves. Returns 0 when the row is missing, belongs to another epoch, or a limit would break.
     */
    @Modifying
    @Query("""
            update AgwBudget b set b.reservedSteps = b.reservedSteps + :reservedSteps,
                b.reservedCost = b.reservedCost + :reservedCost, b.committedSteps = b.committedSteps + :committedSteps,
                b.committedCost = b.committedCost + :committedCost, b.inputTokens = b.inputTokens + :input,
                b.outputTokens = b.outputTokens + :output, b.failedCalls = b.failedCalls + :failed,
                b.slicesWanted = b.slicesWanted + :wanted, b.updatedAt = :now
            where b.key.scopeType = :type and b.key.scopeId = :id and b.key.windowKey = :window and b.epoch = :epoch
              and (:checkSteps = false
                   or b.committedSteps + b.reservedSteps + :committedSteps + :reservedSteps <= :maxSteps)
              and (:checkBudget = false
                   or b.committedCost + b.reservedCost + :committedCost + :reservedCost <= :maxBudget)""")
    int write(@Param("type") String type, @Param("id") String id, @Param("window") String window,
              @Param("epoch") long epoch, @Param("reservedSteps") long reservedSteps,
              @Param("reservedCost") BigDecimal reservedCost, @Param("committedSteps") long committedSteps,
              @Param("committedCost") BigDecimal committedCost, @Param("input") long inputTokens,
              @Param("output") long outputTokens, @Param("failed") long failedCalls, @Param("wanted") long wanted,
              @Param("checkSteps") boolean checkSteps, @Param("maxSteps") long maxSteps,
              @Param("checkBudget") boolean checkBudget, @Param("maxBudget") BigDecimal maxBudget,
              @Param("now") Instant now);

    @Query("select b from AgwBudget b where b.key.scopeType = :type and b.key.windowKey = :window and b.epoch = :epoch")
    List<BudgetEntity> findAllOfType(@Param("type") String type, @Param("window") String window,
                                     @Param("epoch") long epoch);

    @Modifying
    @Query("delete from AgwBudget b where b.key.scopeType = :type and b.key.scopeId = :id")
    int deleteScope(@Param("type") String type, @Param("id") String id);

    @Modifying
    @Query("delete from AgwBudget b")
    int deleteAllRows();

    /** Removes rows of past budget windows not touched since {@code cutoff}. */
    @Modifying
    @Query("""
            delete from AgwBudget b where b.key.windowKey <> '-' and b.key.windowKey <> :currentWindow
              and b.updatedAt < :cutoff""")
    int deletePastWindows(@Param("currentWindow") String currentWindow, @Param("cutoff") Instant cutoff);
}
