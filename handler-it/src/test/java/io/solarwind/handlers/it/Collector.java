package io.solarwind.handlers.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test handlers received, by handler class; lives in the handlers server with them. */
public final class Collector {
    private static final Map<String, List<String>> RECEIVED = new ConcurrentHashMap<>();

    private Collector() {
    }

    public static void record(Class<?> handler, String eventId) {
        RECEIVED.computeIfAbsent(handler.getSimpleName(), k -> new CopyOnWriteArrayList<>()).add(eventId);
    }

    public static void record(String key, String eventId) {
        RECEIVED.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(eventId);
    }

    public static List<String> of(String key) {
        return RECEIVED.getOrDefault(key, List.of());
    }

    public static List<String> of(Class<?> handler) {
        return RECEIVED.getOrDefault(handler.getSimpleName(), List.of());
    }
}
