package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.AccessOutcome;
import dev.agentgateway.core.tools.ApprovalRequest;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDecision;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Access for a whole turn, decided before any of its calls runs, so a denial stops the turn with
 * nothing executed. Apart from {@link ToolTurnExecutor} because it never touches the executor:
 * it only asks the {@link ToolAccessController}, and says which calls wait for a person.
 */
final class TurnAuthorizer {

    private final ToolAccessController access;
    private final Clock clock;
    private final Consumer<ToolCallRecord> recorder;

    /** @param access null when every offered tool may be used */
    TurnAuthorizer(ToolAccessController access, Clock clock, Consumer<ToolCallRecord> recorder) {
        this.access = access;
        this.clock = clock;
        this.recorder = recorder;
    }

    /**
     * Decides access for every call of the turn before any runs; a denial stops the turn.
     *
     * @return the calls that wait for a person's approval
     * @throws ToolAccessDeniedException when the agent may not use one of the requested tools (recorded as denied)
     */
    List<ToolCall> authorizeAll(ToolTurnExecutor.TurnScope scope, List<ToolCall> calls, Map<String, ToolSpec> offered,
                                Map<String, String> completed, ToolTurnExecutor.Approving approving) {
        List<ToolCall> awaiting = new ArrayList<>();
        if (access == null) {
            return awaiting;
        }
        for (ToolCall call : calls) {
            if (completed.containsKey(call.id()) || !offered.containsKey(call.name())) {
                continue;
            }
            ApprovalDecision decided = approving.decided().get(call.id());
            if (decided != null && !decided.runsTool()) {
                continue; // rejected: it does not run, the model reads why
            }
            ToolCall approved = asApproved(call, decided);
            ApprovalRequest request = new ApprovalRequest(scope.agentId(), call.name(), approved.arguments(), scope.workflowId());
            ToolAccessDecision decision = decided != null ? access.authorizeApproved(request, decided.decidedBy())
                    : access.authorize(request, approving.durable());
            if (decision.outcome() == AccessOutcome.APPROVAL_PENDING) {
                awaiting.add(call);
            } else if (!decision.allowed()) {
                TurnSettlement.record(recorder, scope, approved, ToolCallOutcome.DENIED, decision.reason(), clock.instant(), 0);
                throw new ToolAccessDeniedException(scope.agentId(), call.name(), decision.outcome(), decision.reason());
            }
        }
        return awaiting;
    }

    /** The call as approved: with the approver's edited arguments where there are some. */
    static ToolCall asApproved(ToolCall call, ApprovalDecision decision) {
        return decision != null && decision.editedArguments() != null
                ? new ToolCall(call.id(), call.name(), decision.editedArguments()) : call;
    }
}
