package dev.eventpipe.lake;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * What the lake holds, per event date, as read by {@link LakeReader}. Only committed generations
 * count: a generation whose Parquet file exists. A record without its Parquet file is a generation
 * that never committed (its sources are still in {@code archive/}); a Parquet file without a record
 * is an orphan no eventpipe compaction makes, reported rather than counted.
 *
 * @param days       every date with a record or a Parquet file
 * @param unreadable records that could not be read, each with why
 */
public record LakeState(SortedMap<LocalDate, Day> days, List<String> unreadable) {

    public LakeState {
        days = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(days));
        unreadable = List.copyOf(unreadable);
    }

    /** The date's part of the lake; empty when it has none. */
    public Day day(LocalDate date) {
        return days.getOrDefault(date, new Day(date, List.of(), List.of(), List.of(), List.of()));
    }

    public long rows() {
        return days.values().stream().mapToLong(Day::rows).sum();
    }

    public long files() {
        return days.values().stream().mapToLong(d -> d.committed().size()).sum();
    }

    public long bytes() {
        return days.values().stream().mapToLong(Day::bytes).sum();
    }

    /**
     * One date of the lake.
     *
     * @param committed   generations whose Parquet file exists, oldest first
     * @param uncommitted records whose Parquet file does not exist
     * @param orphans     Parquet files without a record
     * @param strays      lists of sources without a record (a compaction stopped between writing the two)
     */
    public record Day(LocalDate date, List<LakeCommit> committed, List<LakeCommit> uncommitted, List<String> orphans,
                      List<String> strays) {

        public Day {
            committed = List.copyOf(committed);
            uncommitted = List.copyOf(uncommitted);
            orphans = List.copyOf(orphans);
            strays = List.copyOf(strays);
        }

        public long rows() {
            return committed.stream().mapToLong(LakeCommit::rows).sum();
        }

        public long bytes() {
            return committed.stream().mapToLong(LakeCommit::parquetBytes).sum();
        }

        public List<String> parquetKeys() {
            return committed.stream().map(LakeCommit::parquet).toList();
        }
    }
}
