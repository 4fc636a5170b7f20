package dev.agentgateway.core;

import dev.agentgateway.core.provider.ToolCall;

/**
 * Watches executions as they happen, for tracing: a tool-calling run, each provider attempt
 * within it, and each tool execution. Each start returns a {@link Span} that is ended exactly
 * once, on the thread that started it; a span passed as {@code parent} lets an implementation
 * nest tool executions (which run on other threads) under their run.
 */
public interface ExecutionObserver {

    ExecutionObserver NOOP = new ExecutionObserver() {
    };

    /** A started piece of work. */
    interface Span {

        Span NOOP = error -> {
        };

        /** Ends the span; {@code error} is null on success. */
        void end(Throwable error);
    }

    /** A {@code callWithTools} (or {@code resume}) run starts. */
    default Span runStarted(String agentId, String workflowId) {
        return Span.NOOP;
    }

    /** A provider attempt starts, after the limits allowed it. */
    default Span callStarted(CallContext context, Span parent) {
        return Span.NOOP;
    }

    /** A tool starts running (on the tool executor's thread). */
    default Span toolStarted(String agentId, String workflowId, ToolCall call, Span parent) {
        return Span.NOOP;
    }
}
