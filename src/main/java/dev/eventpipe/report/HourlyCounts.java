package dev.eventpipe.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per UTC hour, every hour of the window present, zero where nothing happened.
 *
 * @param hours  the start of each hour, oldest first
 * @param counts one count per hour
 */
record HourlyCounts(List<Instant> hours, List<Long> counts) {

    public HourlyCounts {
        hours = List.copyOf(hours);
        counts = List.copyOf(counts);
        if (counts.size() != hours.size()) {
            throw new IllegalArgumentException("one count per hour expected");
        }
    }

    /** Spreads counts keyed by hour start over {@code hours}; hours outside are ignored. */
    public static HourlyCounts of(List<Instant> hours, Map<Instant, Long> byHour) {
        Map<Instant, Long> sums = new HashMap<>(byHour);
        List<Long> counts = new ArrayList<>(hours.size());
        for (Instant h : hours) {
            counts.add(sums.getOrDefault(h, 0L));
        }
        return new HourlyCounts(hours, counts);
    }

    /** The count of the hour starting at {@code hour}; 0 when none or outside the window. */
    public long count(Instant hour) {
        int i = hours.indexOf(hour);
        return i < 0 ? 0 : counts.get(i);
    }

    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
