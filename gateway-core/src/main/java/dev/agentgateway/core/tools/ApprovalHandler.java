package dev.agentgateway.core.tools;

/** Decides whether a tool that requires approval may run. Called on the calling thread. */
@FunctionalInterface
public interface ApprovalHandler {

    boolean approve(ApprovalRequest request);
}
