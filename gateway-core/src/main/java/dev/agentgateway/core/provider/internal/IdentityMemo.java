package dev.agentgateway.core.provider.internal;

/**
 * A small direct-mapped cache of a non-negative figure computed from an object, keyed by that
 * object's identity (and a second object it was computed with): the same tool schema and the same
 * system-prompt string come back on every call, and sizing or tokenizing them again allocates more
 * than the rest of the call. A miss overwrites its slot; a slot is one immutable entry, so a racing
 * reader sees either the old entry or the new one, never a mix. Holds at most {@code size} keys.
 */
final class IdentityMemo {

    private record Entry(Object key, Object with, long value) {
    }

    private final Entry[] slots;

    /** @param size a power of two */
    IdentityMemo(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two, was " + size);
        }
        this.slots = new Entry[size];
    }

    /** The figure remembered for exactly this {@code key} and {@code with}, or -1. */
    long find(Object key, Object with) {
        Entry entry = slots[slot(key)];
        return entry != null && entry.key == key && entry.with == with ? entry.value : -1;
    }

    void remember(Object key, Object with, long value) {
        slots[slot(key)] = new Entry(key, with, value);
    }

    private int slot(Object key) {
        int h = System.identityHashCode(key);
        return (h ^ (h >>> 16)) & (slots.length - 1);
    }
}
