package dev.eventpipe.serve;

import dev.eventpipe.warehouse.DeviceActivity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How {@code /api/active} counts devices per day, ISO week and month of a range in one pass: each
 * device's active days become bits (day {@code i} of the range is bit {@code i % 62} of mask
 * {@code i / 62}; 62 keeps a mask a positive BIGINT on every dialect), then each bucket counts the
 * devices with any of its days' bits set. A device active on two days of a week has two of the week's
 * bits and counts once, so every number equals a count(DISTINCT) over the bucket's rows in the range.
 * Grouping the rows by device once costs about one count(DISTINCT); distinct (day, device) pairs
 * would not help, as they are almost as many as the rows.
 */
final class ActiveDays {

    static final int BITS = 62;
    static final List<Granularity> WIDTHS = List.of(Granularity.DAY, Granularity.WEEK, Granularity.MONTH);

    /**
     * One counted bucket: its width, its place among that width's buckets, and its days' bits by mask.
     */
    record Column(Granularity width, int bucket, SortedMap<Integer, Long> bits) {
    }

    /**
     * A column as the loads' device activity answers it ({@link DeviceActivity}): the devices whose row of
     * the period starting {@code periodStart} has any of {@code days}. A day is its bit in its ISO week's
     * row; a week, its days in the range; a month, its days in the range in the month's row.
     */
    record Kept(Column column, Instant periodStart, int days) {
        boolean monthly() {
            return column.width() == Granularity.MONTH;
        }
    }

    private final DateRange range;
    private final Map<Granularity, List<Instant>> buckets = new HashMap<>();
    private final List<Column> columns = new ArrayList<>();

    ActiveDays(DateRange range) {
        this.range = range;
        for (Granularity g : WIDTHS) {
            List<Instant> starts = g.buckets(range);
            buckets.put(g, starts);
            Map<Instant, Integer> index = new HashMap<>();
            List<SortedMap<Integer, Long>> bits = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++) {
                index.put(starts.get(i), i);
                bits.add(new TreeMap<>());
            }
            for (int day = 0; day < range.days(); day++) {
                Instant start = range.start().plus(day, ChronoUnit.DAYS);
                bits.get(index.get(g.truncate(start))).merge(day / BITS, 1L << (day % BITS), (a, b) -> a | b);
            }
            for (int i = 0; i < starts.size(); i++) {
                columns.add(new Column(g, i, Collections.unmodifiableSortedMap(bits.get(i))));
            }
        }
    }

    /** Each column as a period's row and the bits of its days in the range, in the order of {@link #columns()}. */
    List<Kept> kept() {
        List<Kept> out = new ArrayList<>();
        for (Column c : columns) {
            Granularity period = c.width() == Granularity.MONTH ? Granularity.MONTH : Granularity.WEEK;
            Instant first = buckets.get(c.width()).get(c.bucket());
            Instant periodStart = period.truncate(first);
            int days = 0;
            for (int day = 0; day < range.days(); day++) {
                Instant start = range.start().plus(day, ChronoUnit.DAYS);
                if (c.width().truncate(start).equals(first)) {
                    days |= 1 << ChronoUnit.DAYS.between(periodStart, start);
                }
            }
            out.add(new Kept(c, periodStart, days));
        }
        return out;
    }

    /** The first day's week (a Monday): no kept row before it counts. */
    Instant firstWeek() {
        return Granularity.WEEK.truncate(range.start());
    }

    /** The first day's month. */
    Instant firstMonth() {
        return Granularity.MONTH.truncate(range.start());
    }

    /** The end of the range (exclusive). */
    Instant end() {
        return range.end();
    }

    /** Masks per device: one per 62 days of the range. */
    int masks() {
        return (int) ((range.days() + BITS - 1) / BITS);
    }

    /** The counted buckets in the order the query returns them: the days, then the weeks, then the months. */
    List<Column> columns() {
        return Collections.unmodifiableList(columns);
    }

    /** The buckets of {@code width} that overlap the range, oldest first. */
    List<Instant> buckets(Granularity width) {
        return buckets.get(width);
    }

    /** The range's start in seconds since the epoch: day {@code i} of the range starts {@code i * 86400} after it. */
    long startEpochSecond() {
        return range.start().getEpochSecond();
    }
}
