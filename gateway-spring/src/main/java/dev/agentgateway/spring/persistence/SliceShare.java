package dev.agentgateway.spring.persistence;

import dev.agentgateway.spring.persistence.jpa.BudgetKey;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.limits.ScopeUsage;

import java.math.BigDecimal;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one instance of {@link JpaBudgetLedger} has on one ledger row (a scope in a window): the
 * slice it leased from the row, the calls in flight on it, and the usage of settled calls not yet
 * written. Every field is guarded by the object's monitor.
 *
 * <p>{@code held*} is what the row's {@code reserved_*} figures include for this instance now;
 * {@code written*} is what they include as last written (and what the lease row says). The part
 * of the slice no call has taken is {@code held - inFlight}.
 *
 * <p>Writes to the database take {@link #io} (one at a time per share) and hold the monitor only to
 * take a {@link Snapshot} and to fold the result back in, so calls go on being served from the
 * slice while the row is written; only while a write may give back or top up the slice
 * ({@link #frozen}) do calls wait for it.
 */
final class SliceShare {

    final BudgetKey key;
    final LimitScope scope;
    /** Held while the share is written to the database. */
    final ReentrantLock io = new ReentrantLock();
    /** No call takes from the slice: a write in progress may give its free part back. */
    boolean frozen;
    /** A top-up ahead of time is under way. */
    boolean refilling;
    /** The size of the last slice leased: a slice down to half of it is topped up ahead of time. */
    long sliceSteps;
    BigDecimal sliceAmount = BigDecimal.ZERO;
    /** The write in progress, if any: its usage is on its way to the row. */
    Snapshot writing;

    /** The ledger epoch of everything below. */
    long epoch;
    /** Moves on when the slice is lost (reclaimed by another instance, a reset): older calls then hold nothing of it. */
    long generation;
    /** The limits the slice was taken under; a call under other limits first gives the slice back. */
    ScopeLimits limits;
    /** True once the row is known to exist in this epoch. */
    boolean rowExists;
    /** No longer in the ledger's map: whoever finds it so fetches the current one. */
    boolean retired;

    long heldSteps;
    BigDecimal heldAmount = BigDecimal.ZERO;
    long writtenSteps;
    BigDecimal writtenAmount = BigDecimal.ZERO;
    long inFlightSteps;
    BigDecimal inFlightAmount = BigDecimal.ZERO;

    long pendingSteps;
    BigDecimal pendingCost = BigDecimal.ZERO;
    long pendingInput;
    long pendingOutput;
    long pendingFailed;

    /** The row as last written or read: the base of the usage a commit reports. */
    ScopeUsage seen;
    long wantedSeen = -1;
    /** Epoch millis: last call taken, and until when the slice may be served without renewing its lease. */
    long lastUsed;
    long validUntil;

    SliceShare(BudgetKey key, LimitScope scope, long epoch) {
        this.key = key;
        this.scope = scope;
        this.epoch = epoch;
        this.seen = ScopeUsage.empty(scope);
    }

    /** Forgets everything: the epoch moved on (a reset), so nothing of the old one counts. */
    void resetTo(long newEpoch) {
        epoch = newEpoch;
        generation++;
        limits = null;
        rowExists = false;
        heldSteps = 0;
        heldAmount = BigDecimal.ZERO;
        writtenSteps = 0;
        writtenAmount = BigDecimal.ZERO;
        inFlightSteps = 0;
        inFlightAmount = BigDecimal.ZERO;
        clearPending();
        seen = ScopeUsage.empty(scope);
        wantedSeen = -1;
        validUntil = 0;
    }

    /** The slice is gone from the database (another instance reclaimed it): calls in flight on it are backed no more. */
    void lose() {
        generation++;
        heldSteps = 0;
        heldAmount = BigDecimal.ZERO;
        writtenSteps = 0;
        writtenAmount = BigDecimal.ZERO;
        inFlightSteps = 0;
        inFlightAmount = BigDecimal.ZERO;
        validUntil = 0;
    }

    void clearPending() {
        pendingSteps = 0;
        pendingCost = BigDecimal.ZERO;
        pendingInput = 0;
        pendingOutput = 0;
        pendingFailed = 0;
    }

    boolean hasPending() {
        return pendingSteps != 0 || pendingCost.signum() != 0 || pendingInput != 0 || pendingOutput != 0 || pendingFailed != 0;
    }

    boolean holdsLease() {
        return writtenSteps != 0 || writtenAmount.signum() != 0;
    }

    boolean heldChanged() {
        return heldSteps != writtenSteps || heldAmount.compareTo(writtenAmount) != 0;
    }

    long freeSteps() {
        return heldSteps - inFlightSteps;
    }

    BigDecimal freeAmount() {
        return heldAmount.subtract(inFlightAmount);
    }

    boolean hasFree() {
        return freeSteps() > 0 || freeAmount().signum() > 0;
    }

    /** Whether the slice can serve one more call of {@code amount} under {@code callLimits} without the database. */
    boolean canServe(ScopeLimits callLimits, BigDecimal amount, long now) {
        if (frozen || !callLimits.equals(limits) || now >= validUntil) {
            return false;
        }
        if (callLimits.maxSteps() != null && freeSteps() < 1) {
            return false;
        }
        if (callLimits.maxBudget() != null) {
            BigDecimal free = freeAmount();
            return free.signum() > 0 && free.compareTo(amount) >= 0;
        }
        return true;
    }

    /** Whether the free part is down to half the last slice on a limit of {@code callLimits}. */
    boolean runsLow(ScopeLimits callLimits) {
        if (callLimits.maxSteps() != null && sliceSteps > 1 && freeSteps() * 2 < sliceSteps) {
            return true;
        }
        return callLimits.maxBudget() != null && sliceAmount.signum() > 0
                && freeAmount().multiply(BigDecimal.valueOf(2)).compareTo(sliceAmount) < 0;
    }

    void granted(long steps, BigDecimal amount) {
        if (steps > 0) {
            sliceSteps = steps;
        }
        if (amount.signum() > 0) {
            sliceAmount = amount;
        }
    }

    void take(BigDecimal amount, long now) {
        inFlightSteps++;
        inFlightAmount = inFlightAmount.add(amount);
        lastUsed = now;
    }

    /** A call of this generation was settled: its step and cost move from the slice to the usage to write. */
    void settle(long callGeneration, BigDecimal amount, BigDecimal cost, long inputTokens, long outputTokens) {
        if (callGeneration == generation) {
            inFlightSteps--;
            inFlightAmount = inFlightAmount.subtract(amount);
            if (heldSteps > inFlightSteps) {
                heldSteps--; // the call's step came from the slice
            }
            // the cost is taken from the slice as far as it reaches: the unused estimate stays free, an
            // over-run first uses up the free part, beyond it the row shows the over-run as before
            BigDecimal backing = heldAmount.subtract(inFlightAmount);
            if (backing.signum() > 0) {
                heldAmount = heldAmount.subtract(backing.min(cost));
            }
        }
        pendingSteps++;
        pendingCost = pendingCost.add(cost);
        pendingInput += inputTokens;
        pendingOutput += outputTokens;
    }

    /** A call of this generation failed: its step and estimate go back to the free part of the slice. */
    void giveBack(long callGeneration, BigDecimal amount, boolean failed) {
        if (callGeneration == generation) {
            inFlightSteps--;
            inFlightAmount = inFlightAmount.subtract(amount);
        }
        if (failed) {
            pendingFailed++;
        }
    }

    /** What a write of the share starts from; the pending usage moves into it (and back if the write fails). */
    record Snapshot(long epoch, ScopeLimits limits, long heldSteps, BigDecimal heldAmount, long writtenSteps,
                    BigDecimal writtenAmount, long inFlightSteps, BigDecimal inFlightAmount, long pendingSteps,
                    BigDecimal pendingCost, long pendingInput, long pendingOutput, long pendingFailed, long wantedSeen) {

        boolean holdsLease() {
            return writtenSteps != 0 || writtenAmount.signum() != 0;
        }

        boolean hasPending() {
            return pendingSteps != 0 || pendingCost.signum() != 0 || pendingInput != 0 || pendingOutput != 0
                    || pendingFailed != 0;
        }
    }

    Snapshot takeSnapshot() {
        Snapshot snapshot = new Snapshot(epoch, limits, heldSteps, heldAmount, writtenSteps, writtenAmount, inFlightSteps,
                inFlightAmount, pendingSteps, pendingCost, pendingInput, pendingOutput, pendingFailed, wantedSeen);
        clearPending();
        writing = snapshot;
        return snapshot;
    }

    /** The write failed: its usage is pending again. */
    void restore(Snapshot snapshot) {
        writing = null;
        if (snapshot.epoch() != epoch) {
            return;
        }
        pendingSteps += snapshot.pendingSteps();
        pendingCost = pendingCost.add(snapshot.pendingCost());
        pendingInput += snapshot.pendingInput();
        pendingOutput += snapshot.pendingOutput();
        pendingFailed += snapshot.pendingFailed();
    }

    /**
     * The write committed: the row now holds {@code held} and {@code heldAmountNow} for this instance.
     * Calls settled while it was written have already taken their part from the slice.
     */
    void written(Snapshot snapshot, boolean lost, long held, BigDecimal heldAmountNow, ScopeLimits limitsNow,
                 ScopeUsage row, long wanted, long validUntilMillis) {
        writing = null;
        if (snapshot.epoch() != epoch) {
            return; // a reset came meanwhile: nothing of the old epoch counts
        }
        if (lost) {
            lose();
            heldSteps = held;
            heldAmount = heldAmountNow;
        } else {
            heldSteps += held - snapshot.heldSteps();
            heldAmount = heldAmount.add(heldAmountNow.subtract(snapshot.heldAmount()));
        }
        writtenSteps = held;
        writtenAmount = heldAmountNow;
        limits = limitsNow;
        seen = row;
        wantedSeen = wanted;
        validUntil = validUntilMillis;
        rowExists = true;
    }

    /**
     * The usage as this instance knows it: the row as last seen, plus what is not yet written, with
     * the unused part of this instance's slice not counted as reserved.
     */
    ScopeUsage usage() {
        ScopeUsage base = seen;
        Snapshot inTransit = writing;
        if (inTransit != null) { // the row as seen does not have it yet
            base = new ScopeUsage(scope, base.committedSteps() + inTransit.pendingSteps(), base.reservedSteps(),
                    base.committedCost().add(inTransit.pendingCost()), base.reservedCost(),
                    base.inputTokens() + inTransit.pendingInput(), base.outputTokens() + inTransit.pendingOutput(),
                    base.failedCalls() + inTransit.pendingFailed());
        }
        return usageOver(base);
    }

    /** {@link #usage()} over the row as just read, with no write in progress ({@code row} holds {@code written*} of this instance). */
    ScopeUsage usageOver(ScopeUsage row) {
        return new ScopeUsage(scope, row.committedSteps() + pendingSteps,
                Math.max(0, row.reservedSteps() - writtenSteps) + inFlightSteps,
                JpaBudgetLedger.normalized(row.committedCost().add(pendingCost)),
                JpaBudgetLedger.normalized(row.reservedCost().subtract(writtenAmount).max(BigDecimal.ZERO).add(inFlightAmount)),
                row.inputTokens() + pendingInput, row.outputTokens() + pendingOutput, row.failedCalls() + pendingFailed);
    }
}
