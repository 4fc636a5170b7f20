package dev.agentgateway.core.tools;

import java.time.Instant;

/** One access check, as kept in the audit trail. */
public record ToolAccessDecision(Instant timestamp, String agentId, String toolName, AccessOutcome outcome, String reason) {

    public boolean allowed() {
        return outcome.isAllowed();
    }
}
