package dev.agentgateway.core.history;

import dev.agentgateway.core.tools.ToolCallRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps the most recent records in fixed-size ring buffers, so memory stays flat however many
 * calls are made. Default capacity: {@value #DEFAULT_CAPACITY} calls (and as many tool calls).
 */
public final class InMemoryCallHistoryStore implements CallHistoryStore {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final Ring<CallRecord> calls;
    private final Ring<ToolCallRecord> toolCalls;

    public InMemoryCallHistoryStore() {
        this(DEFAULT_CAPACITY);
    }

    public InMemoryCallHistoryStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1, was " + capacity);
        }
        this.calls = new Ring<>(capacity);
        this.toolCalls = new Ring<>(capacity);
    }

    @Override
    public void append(CallRecord record) {
        calls.add(record);
    }

    @Override
    public void appendToolCall(ToolCallRecord record) {
        toolCalls.add(record);
    }

    @Override
    public List<CallRecord> find(HistoryQuery query) {
        return calls.select(query::matches, query.limit());
    }

    @Override
    public List<ToolCallRecord> findToolCalls(HistoryQuery query) {
        return toolCalls.select(query::matches, query.limit());
    }

    @Override
    public void clear() {
        calls.clear();
        toolCalls.clear();
    }

    public int capacity() {
        return calls.items.length;
    }

    public int size() {
        return calls.size();
    }

    private static final class Ring<T> {
        private final Object[] items;
        private long written;

        Ring(int capacity) {
            items = new Object[capacity];
        }

        synchronized void add(T item) {
            items[(int) (written % items.length)] = item;
            written++;
        }

        synchronized int size() {
            return (int) Math.min(written, items.length);
        }

        synchronized void clear() {
            java.util.Arrays.fill(items, null);
            written = 0;
        }

        /** Newest-first scan so a small limit stops early, then reversed to oldest first. */
        @SuppressWarnings("unchecked")
        synchronized List<T> select(Predicate<T> filter, Integer limit) {
            int max = limit == null ? Integer.MAX_VALUE : limit;
            List<T> newestFirst = new ArrayList<>(Math.min(max, size()));
            for (long i = written - 1; i >= Math.max(0, written - items.length) && newestFirst.size() < max; i--) {
                T item = (T) items[(int) (i % items.length)];
                if (filter.test(item)) {
                    newestFirst.add(item);
                }
            }
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }
    }
}
