package dev.agentgateway.spring.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators did through the console: each action is logged at INFO, kept in a bounded list
 * (the newest {@code capacity}) that the console shows, and pushed to the open consoles.
 */
public class ConsoleAudit {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAudit.class);

    /** One operator action: who did what to which scope, with which settings. */
    public record Entry(Instant timestamp, String operator, String action, String target, Map<String, Object> settings) {
    }

    private final int capacity;
    private final Clock clock;
    private final ConsoleEvents events;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public ConsoleAudit(int capacity, Clock clock, ConsoleEvents events) {
        this.capacity = capacity;
        this.clock = clock;
        this.events = events;
    }

    /** Records an action that succeeded. */
    public Entry record(String operator, String action, String target, Map<String, ?> settings) {
        // names come from request paths: no line breaks into the log
        Entry entry = new Entry(clock.instant(), oneLine(operator), action, oneLine(target), new LinkedHashMap<>(settings));
        synchronized (entries) {
            entries.addFirst(entry);
            while (entries.size() > capacity) {
                entries.removeLast();
            }
        }
        log.info("Console: {} by '{}' on {} {}", action, operator, target, settings);
        events.publish("audit", describe(entry));
        return entry;
    }

    /** The recorded actions, newest first. */
    public List<Entry> entries() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]", "_");
    }

    static Map<String, Object> describe(Entry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("timestamp", entry.timestamp().toString());
        map.put("operator", entry.operator());
        map.put("action", entry.action());
        map.put("target", entry.target());
        map.put("settings", entry.settings());
        return map;
    }
}
