package dev.agentgateway.spring.approval;

import dev.agentgateway.core.approval.PendingApproval;
import org.springframework.context.ApplicationEvent;

/**
 * Published when a run pauses for a person's approval of a tool call (once per tool call), on the
 * instance where the run paused: for paging an operator. Arguments are masked as in the store.
 */
public class ApprovalRequestedEvent extends ApplicationEvent {

    private final PendingApproval approval;

    public ApprovalRequestedEvent(Object source, PendingApproval approval) {
        super(source);
        this.approval = approval;
    }

    public PendingApproval getApproval() {
        return approval;
    }
}
