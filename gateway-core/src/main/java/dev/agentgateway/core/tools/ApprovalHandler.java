package dev.agentgateway.core.tools;

/**
 * Decides on the calling thread whether a tool that requires approval may run. A handler wins over
 * durable approvals for the requests it {@link #decides}; the others pause their run for a
 * person's decision where the run can pause, and are denied where it cannot.
 */
@FunctionalInterface
public interface ApprovalHandler {

    boolean approve(ApprovalRequest request);

    /** Whether this handler decides {@code request} (every request unless overridden). */
    default boolean decides(ApprovalRequest request) {
        return true;
    }
}
