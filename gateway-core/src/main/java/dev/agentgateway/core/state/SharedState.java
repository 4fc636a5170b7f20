package dev.agentgateway.core.state;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * State shared by the agents of a workflow, addressed by dotted paths ({@code research.topic}).
 * Every change raises the version and keeps a snapshot of the state at that version, so
 * {@link #restore(int)} can go back. Thread-safe.
 */
public final class SharedState {

    private final Clock clock;
    private Map<String, Object> data = new LinkedHashMap<>();
    private int version;
    private final TreeMap<Integer, StateSnapshot> history = new TreeMap<>();
    private final int maxHistory;

    public SharedState() {
        this(Map.of());
    }

    public SharedState(Map<String, ?> initial) {
        this(initial, Clock.systemUTC(), 100);
    }

    public SharedState(Map<String, ?> initial, Clock clock, int maxHistory) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxHistory < 1) {
            throw new IllegalArgumentException("maxHistory must be at least 1, was " + maxHistory);
        }
        this.maxHistory = maxHistory;
        this.data = deepCopy(initial);
        history.put(0, freeze());
    }

    /** The value at {@code path}, or {@code null}. */
    public synchronized Object get(String path) {
        Object node = data;
        for (String key : split(path)) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node instanceof Map<?, ?> map ? deepCopy(asStringMap(map)) : node;
    }

    public synchronized Object get(String path, Object defaultValue) {
        Object value = get(path);
        return value == null ? defaultValue : value;
    }

    public synchronized boolean has(String path) {
        return get(path) != null;
    }

    /** Sets {@code path}, creating the maps on the way; a new version even when the value is equal. */
    public synchronized SharedState set(String path, Object value) {
        setWithoutVersion(split(path), value);
        changed();
        return this;
    }

    /** Sets several top-level or dotted paths as one change. */
    public synchronized SharedState update(Map<String, ?> values) {
        values.forEach((path, value) -> setWithoutVersion(split(path), value));
        changed();
        return this;
    }

    @SuppressWarnings("unchecked")
    public synchronized boolean delete(String path) {
        String[] keys = split(path);
        Object node = data;
        for (int i = 0; i < keys.length - 1; i++) {
            if (!(node instanceof Map)) {
                return false;
            }
            node = ((Map<String, Object>) node).get(keys[i]);
        }
        if (node instanceof Map && ((Map<String, Object>) node).containsKey(keys[keys.length - 1])) {
            ((Map<String, Object>) node).remove(keys[keys.length - 1]);
            changed();
            return true;
        }
        return false;
    }

    public synchronized int version() {
        return version;
    }

    /** A deep copy of the whole state. */
    public synchronized Map<String, Object> toMap() {
        return deepCopy(data);
    }

    /** The current state, frozen: later changes do not show in it. */
    public synchronized StateSnapshot snapshot() {
        return history.get(version);
    }

    /** Brings back the values of {@code version}; this is itself a change, with a new version. */
    public synchronized SharedState restore(int targetVersion) {
        StateSnapshot snapshot = history.get(targetVersion);
        if (snapshot == null) {
            throw new IllegalArgumentException("no snapshot of version " + targetVersion + " is kept (kept: " + history.keySet() + ")");
        }
        data = deepCopy(snapshot.data());
        changed();
        return this;
    }

    /** The versions that {@link #restore} can go back to. */
    public synchronized List<Integer> versions() {
        return new ArrayList<>(history.keySet());
    }

    /** A fingerprint of the content, equal for equal states: what loop detection compares. */
    public synchronized int contentHash() {
        return data.hashCode();
    }

    private void changed() {
        version++;
        history.put(version, freeze());
        while (history.size() > maxHistory) {
            history.pollFirstEntry();
        }
    }

    private StateSnapshot freeze() {
        return new StateSnapshot(version, Collections.unmodifiableMap(deepCopy(data)), clock.instant());
    }

    @SuppressWarnings("unchecked")
    private void setWithoutVersion(String[] keys, Object value) {
        Map<String, Object> node = data;
        for (int i = 0; i < keys.length - 1; i++) {
            Object child = node.get(keys[i]);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                node.put(keys[i], child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(keys[keys.length - 1], copyValue(value));
    }

    private static String[] split(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("invalid state path '" + path + "'");
        }
        return path.split("\\.");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /**
     * A deep copy of a state map (nested maps and lists copied, keys as strings): later changes to
     * the source do not reach the copy. What snapshots and checkpoints are made of.
     */
    public static Map<String, Object> copyOf(Map<String, ?> source) {
        return deepCopy(source);
    }

    private static Map<String, Object> deepCopy(Map<String, ?> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(key, copyValue(value)));
        return copy;
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(String.valueOf(key), copyValue(child)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copyValue(item)));
            return copy;
        }
        return value;
    }
}
