package dev.agentgateway.spring.approval;

import dev.agentgateway.core.provider.LlmResponse;
import org.springframework.context.ApplicationEvent;

/**
 * Published on the instance that resumed a run after its approvals were decided, when the resumed
 * run ends: with its final answer, or with the failure that ended it. The caller who started the
 * run got {@code RunAwaitingApprovalException} long ago; this is where its outcome goes.
 */
public class ApprovedRunResumedEvent extends ApplicationEvent {

    private final String workflowId;
    private final transient LlmResponse answer;
    private final transient RuntimeException failure;

    public ApprovedRunResumedEvent(Object source, String workflowId, LlmResponse answer, RuntimeException failure) {
        super(source);
        this.workflowId = workflowId;
        this.answer = answer;
        this.failure = failure;
    }

    public String getWorkflowId() {
        return workflowId;
    }

    /** The run's final answer, or {@code null} when it failed. */
    public LlmResponse getAnswer() {
        return answer;
    }

    /** What ended the resumed run, or {@code null} when it answered. */
    public RuntimeException getFailure() {
        return failure;
    }
}
