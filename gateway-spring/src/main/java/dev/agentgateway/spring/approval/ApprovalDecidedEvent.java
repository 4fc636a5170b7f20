package dev.agentgateway.spring.approval;

import dev.agentgateway.core.approval.Approval;
import org.springframework.context.ApplicationEvent;

/** Published when an approval is decided, or rejected by its time-out, on the instance that decided it. */
public class ApprovalDecidedEvent extends ApplicationEvent {

    private final Approval approval;

    public ApprovalDecidedEvent(Object source, Approval approval) {
        super(source);
        this.approval = approval;
    }

    public Approval getApproval() {
        return approval;
    }
}
