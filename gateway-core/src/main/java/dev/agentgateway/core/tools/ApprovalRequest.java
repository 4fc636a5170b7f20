package dev.agentgateway.core.tools;

/** A use of a tool that needs approval; {@code arguments} is the model's raw JSON, or null when only offered. */
public record ApprovalRequest(String agentId, String toolName, String arguments, String workflowId) {
}
