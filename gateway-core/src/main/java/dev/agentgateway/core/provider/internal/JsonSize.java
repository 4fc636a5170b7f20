package dev.agentgateway.core.provider.internal;

import tools.jackson.databind.json.JsonMapper;

import java.util.Collection;
import java.util.Map;

/**
 * The UTF-8 size of a value's compact JSON, at least as large as what a JSON writer makes of it,
 * walked without writing it (tool schemas are sized on every call).
 */
final class JsonSize {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonSize() {
    }

    static long of(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof Map<?, ?> map) {
            long size = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += string(String.valueOf(entry.getKey())) + 1 + of(entry.getValue());
            }
            return size;
        }
        if (value instanceof Collection<?> items) {
            long size = 2 + Math.max(0, items.size() - 1);
            for (Object item : items) {
                size += of(item);
            }
            return size;
        }
        if (value instanceof CharSequence text) {
            return string(text);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value).length();
        }
        // anything else (an enum, a bean) is sized as the JSON writer writes it
        return Utf8.length(JSON.writeValueAsString(value));
    }

    /** A quoted string; an escaped character counts as the longest escape (a six-character unicode escape). */
    private static long string(CharSequence text) {
        long size = 2 + Utf8.length(text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                size += 5;
            }
        }
        return size;
    }
}
