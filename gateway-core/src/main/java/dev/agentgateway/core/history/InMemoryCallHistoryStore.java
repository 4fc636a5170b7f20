package dev.agentgateway.core.history;

import dev.agentgateway.core.tools.ToolCallRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
        return calls.capacity;
    }

    public int size() {
        return calls.size();
    }

    /**
     * A ring without a lock: a writer claims the next index with one atomic increment and fills
     * its slot, so appending callers never wait for each other or for a reader. Each slot carries
     * a stamp, the index (plus one) of the record in it, written after the record (0 while it is
     * being replaced); a reader takes a slot's record only if the stamp names the index it wants
     * before and after reading it, so a scan never returns a half-written slot, nor a record of an
     * earlier lap where a newer one was claimed but not yet written (short of a writer stalled
     * between its claim and its write for a whole lap of the ring). A scan racing with appends
     * sees each record at most once, in order; records appended during the scan may or may not be
     * in it.
     */
    private static final class Ring<T> {
        private final int capacity;
        private final AtomicReferenceArray<T> items;
        private final AtomicLongArray stamps;
        private final AtomicLong written = new AtomicLong();
        /** Indexes below this one were cleared. */
        private volatile long start;

        Ring(int capacity) {
            this.capacity = capacity;
            this.items = new AtomicReferenceArray<>(capacity);
            this.stamps = new AtomicLongArray(capacity);
        }

        void add(T item) {
            long index = written.getAndIncrement();
            int slot = (int) (index % capacity);
            stamps.setRelease(slot, 0);
            items.setRelease(slot, item);
            stamps.setRelease(slot, index + 1);
        }

        int size() {
            return (int) Math.min(written.get() - start, capacity);
        }

        void clear() {
            start = written.get();
            for (int slot = 0; slot < capacity; slot++) {
                stamps.setRelease(slot, 0);
                items.setRelease(slot, null);
            }
        }

        /** Newest-first scan so a small limit stops early, then reversed to oldest first. */
        List<T> select(Predicate<T> filter, Integer limit) {
            int max = limit == null ? Integer.MAX_VALUE : limit;
            long end = written.get();
            long first = Math.max(start, end - capacity);
            List<T> newestFirst = new ArrayList<>((int) Math.min(max, end - first));
            for (long index = end - 1; index >= first && newestFirst.size() < max; index--) {
                int slot = (int) (index % capacity);
                if (stamps.getAcquire(slot) != index + 1) {
                    continue;
                }
                T item = items.getAcquire(slot);
                if (stamps.getAcquire(slot) == index + 1 && filter.test(item)) {
                    newestFirst.add(item);
                }
            }
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }
    }
}
