package dev.agentgateway.core.approval;

/**
 * Told when an approval is requested or decided, on the thread that did it: for meters, events
 * and paging an operator, and for resuming the run. Keep it quick; exceptions are logged and ignored.
 */
public interface ApprovalListener {

    default void onRequested(Approval approval) {
    }

    /** Decided by a person, or rejected by its time-out. */
    default void onDecided(Approval approval) {
    }
}
