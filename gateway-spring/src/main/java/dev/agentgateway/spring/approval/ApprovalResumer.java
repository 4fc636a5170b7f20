package dev.agentgateway.spring.approval;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalListener;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.PendingApproval;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.approval.RunNotResumableException;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.spring.tool.ToolRunContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Resumes a paused run where the decision that completes its approvals is made: on the deciding
 * thread of the deciding instance, which claims the run first ({@link Gateway#resumeApproved}), so
 * no other instance resumes it too. The run's tools run for its agent, workflow and tenant, with
 * no principal (the person who started it is gone). Its outcome is published as
 * {@link ApprovedRunResumedEvent}; a run that pauses again at a later turn waits for those decisions.
 */
public class ApprovalResumer implements ApprovalListener {

    private static final Logger log = LoggerFactory.getLogger(ApprovalResumer.class);

    private final Supplier<Gateway> gateway;
    private final Supplier<Function<ToolRunContext, ToolExecutor>> tools;
    private final ApplicationEventPublisher publisher;

    public ApprovalResumer(Supplier<Gateway> gateway, Supplier<Function<ToolRunContext, ToolExecutor>> tools,
                           ApplicationEventPublisher publisher) {
        this.gateway = gateway;
        this.tools = tools;
        this.publisher = publisher;
    }

    @Override
    public void onDecided(Approval approval) {
        List<Approval> run = approvals().forRun(approval.workflowId());
        if (run.stream().noneMatch(Approval::isPending)) {
            resume(approval.workflowId());
        }
    }

    /**
     * Resumes the run here if this instance can claim it.
     *
     * @return its final answer; empty when it still waits for a decision, another instance holds it, it paused again
     * or it failed (the failure is logged and published)
     */
    public Optional<LlmResponse> resume(String workflowId) {
        List<Approval> run = approvals().forRun(workflowId);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        PendingApproval asked = run.get(0).request();
        ToolExecutor executor = tools.get().apply(new ToolRunContext(asked.agentId(), workflowId, asked.tenant(), null));
        try {
            LlmResponse answer = gateway.get().resumeApproved(workflowId, executor);
            publisher.publishEvent(new ApprovedRunResumedEvent(this, workflowId, answer, null));
            return Optional.of(answer);
        } catch (RunNotResumableException notNow) {
            log.debug("Run '{}' not resumed here: {}", workflowId, notNow.getMessage());
        } catch (RunAwaitingApprovalException pausedAgain) {
            log.info("Run '{}' resumed and paused again: {}", workflowId, pausedAgain.getMessage());
        } catch (RuntimeException failure) {
            log.warn("Run '{}' resumed after its approvals and failed: {}", workflowId, failure.toString());
            publisher.publishEvent(new ApprovedRunResumedEvent(this, workflowId, null, failure));
        }
        return Optional.empty();
    }

    /**
     * Rejects overdue approvals (which resumes their runs where that completes them) and resumes
     * runs nobody holds although all their approvals are decided: their resuming instance died.
     *
     * @return how many runs were resumed here
     */
    public int resumeClaimable(int limit) {
        Approvals approvals = approvals();
        approvals.expireOverdue();
        Instant staleBefore = approvals.clock().instant().minus(gateway.get().approvalClaimTimeout());
        int resumed = 0;
        for (String workflowId : approvals.store().claimable(staleBefore, limit)) {
            if (resume(workflowId).isPresent()) {
                resumed++;
            }
        }
        return resumed;
    }

    private Approvals approvals() {
        Approvals approvals = gateway.get().approvals();
        if (approvals == null) {
            throw new IllegalStateException("The gateway has no durable approvals (Gateway.Builder.approvals)");
        }
        return approvals;
    }
}
