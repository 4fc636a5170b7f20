package dev.agentgateway.core;

import dev.agentgateway.core.provider.LlmRequest;

/** What a hook learns about a call. */
public record CallContext(String callId, String agentId, String workflowId, String tenant, LlmRequest request) {
}
