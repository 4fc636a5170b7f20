package dev.agentgateway.core.history;

import dev.agentgateway.core.tools.ToolCallRecord;

import java.util.List;

/**
 * Where call and tool-call records go. {@link #append} is on the call path: implementations that
 * persist must not block it (queue and batch).
 */
public interface CallHistoryStore {

    void append(CallRecord record);

    void appendToolCall(ToolCallRecord record);

    /** Matching records, oldest first, the newest {@code query.limit()} of them. */
    List<CallRecord> find(HistoryQuery query);

    List<ToolCallRecord> findToolCalls(HistoryQuery query);

    /** Forgets everything this store holds. */
    void clear();
}
