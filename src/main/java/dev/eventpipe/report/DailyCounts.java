package dev.eventpipe.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts per UTC day and per key (a platform: {@code context_device_type}), every day of the window
 * present, zero where nothing happened.
 *
 * @param days   the days, oldest first
 * @param series per key in name order, one count per day of {@code days}
 */
record DailyCounts(List<LocalDate> days, Map<String, List<Long>> series) {

    public DailyCounts {
        days = List.copyOf(days);
        Map<String, List<Long>> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        series = Collections.unmodifiableMap(copy);
    }

    /** One row of a grouped query: the count of {@code key} on {@code day}. */
    public record Row(LocalDate day, String key, long count) {
    }

    /** Spreads {@code rows} over {@code days}; rows outside the days are ignored. */
    public static DailyCounts of(List<LocalDate> days, List<Row> rows) {
        Map<LocalDate, Integer> index = new HashMap<>();
        for (int i = 0; i < days.size(); i++) {
            index.put(days.get(i), i);
        }
        Map<String, long[]> byKey = new TreeMap<>();
        for (Row r : rows) {
            Integer i = index.get(r.day());
            if (i != null) {
                byKey.computeIfAbsent(r.key(), k -> new long[days.size()])[i] += r.count();
            }
        }
        Map<String, List<Long>> series = new LinkedHashMap<>();
        byKey.forEach((k, counts) -> {
            List<Long> list = new ArrayList<>(counts.length);
            for (long c : counts) {
                list.add(c);
            }
            series.put(k, list);
        });
        return new DailyCounts(days, series);
    }

    /** The count of {@code key} on {@code day}; 0 when none. */
    public long count(String key, LocalDate day) {
        List<Long> counts = series.get(key);
        int i = days.indexOf(day);
        return counts == null || i < 0 ? 0 : counts.get(i);
    }

    /** Whether every count is zero (or there is no key at all). */
    public boolean isEmpty() {
        return series.values().stream().flatMap(List::stream).allMatch(c -> c == 0);
    }
}
