package dev.agentgateway.sample.desk;

import dev.agentgateway.core.tools.ApprovalHandler;
import dev.agentgateway.core.tools.ApprovalRequest;
import org.springframework.stereotype.Component;

/**
 * The intern's approvals are decided on the spot, and refused: nobody lets the intern delete
 * the notes. Every other agent's approvals are not this handler's to decide, so their runs pause
 * until an editor decides ({@code POST /api/approvals/{id}}).
 */
@Component
class InternApprovals implements ApprovalHandler {

    @Override
    public boolean approve(ApprovalRequest request) {
        return false;
    }

    @Override
    public boolean decides(ApprovalRequest request) {
        return "intern".equals(request.agentId());
    }
}
