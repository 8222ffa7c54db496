package dev.eventpipe.report;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * File-name stems of the charts: the fixed charts' names, and {@code daily-<slug>} per report event,
 * where the slug keeps only {@code [a-z0-9_-]} of the lower-cased name. Two events whose slugs
 * collide (or an event whose name collides with a fixed chart) get {@code -2}, {@code -3}... in
 * configured order, so every chart has a file of its own.
 */
final class ChartNames {

    static final String ACTIVE_DEVICES = "daily-active-devices";
    static final String FUNNEL = "funnel-conversion";
    static final String EVENTS_PER_HOUR = "events-per-hour";
    static final String FRESHNESS = "freshness";

    private static final int MAX_SLUG = 60;

    private ChartNames() {
    }

    /** The chart name of each distinct event of {@code events}, in their order. */
    static Map<String, String> forEvents(List<String> events) {
        Set<String> used = new HashSet<>(List.of(ACTIVE_DEVICES, FUNNEL, EVENTS_PER_HOUR, FRESHNESS));
        Map<String, String> names = new LinkedHashMap<>();
        for (String event : events) {
            if (names.containsKey(event)) {
                continue;
            }
            String base = "daily-" + slug(event);
            String name = base;
            for (int n = 2; !used.add(name); n++) {
                name = base + "-" + n;
            }
            names.put(event, name);
        }
        return names;
    }

    /** Lower case, runs of anything outside {@code [a-z0-9_-]} made one '-', no '-' at the ends, never empty. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("-{2,}", "-");
        s = s.replaceAll("^-+|-+$", "");
        if (s.length() > MAX_SLUG) {
            s = s.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "event" : s;
    }
}
