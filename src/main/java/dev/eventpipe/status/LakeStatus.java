package dev.eventpipe.status;

import dev.eventpipe.lake.LakeCommit;
import dev.eventpipe.lake.LakeReader;
import dev.eventpipe.lake.LakeState;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import dev.eventpipe.warehouse.Schema;
import dev.eventpipe.warehouse.Warehouse;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The lake's part of {@code status}, read in two steps around the listing of {@code incoming/} and
 * {@code archive/}: first the lake's days and the warehouse's rows on them, then (after the listing)
 * the lake itself. A file loaded after the warehouse was read is then still in the listing, so its
 * day counts as waiting rather than as a mismatch; a generation committed after the listing is
 * counted in the lake while its day counts as waiting.
 */
final class LakeStatus {

    /** The warehouse's rows per UTC day of {@code timestamp}, in a date range, leaving out rows adopted from the prototype's table. */
    static final String ROWS_PER_DAY = "SELECT CAST(\"timestamp\" AS DATE), count(*) FROM " + Schema.EVENTS
            + " WHERE \"timestamp\" >= ? AND \"timestamp\" < ? AND source_file <> ? GROUP BY CAST(\"timestamp\" AS DATE)";

    private final ObjectStore store;
    private final boolean empty;
    private final Set<LocalDate> queried;
    private final Map<LocalDate, Long> warehouseRows;
    private final String error;

    private LakeStatus(ObjectStore store, boolean empty, Set<LocalDate> queried, Map<LocalDate, Long> warehouseRows, String error) {
        this.store = store;
        this.empty = empty;
        this.queried = queried;
        this.warehouseRows = warehouseRows;
        this.error = error;
    }

    /** Step one, before the listing: the lake's days (from its records' names) and the warehouse's rows on them. */
    static LakeStatus begin(ObjectStore store, Supplier<Warehouse> warehouse) {
        TreeSet<LocalDate> days = new TreeSet<>();
        try (Stream<StoredObject> s = store.list(DfsLayout.LAKE_COMMITS)) {
            s.map(StoredObject::key).filter(DfsLayout::isLakeCommit).forEach(k -> DfsLayout.partition(k).ifPresent(days::add));
        } catch (RuntimeException e) {
            return new LakeStatus(store, false, Set.of(), null, StatusReader.describe(e));
        }
        if (days.isEmpty()) {
            return new LakeStatus(store, true, Set.of(), null, null);
        }
        Map<LocalDate, Long> rows = new HashMap<>();
        try (Warehouse w = warehouse.get()) {
            w.query(ROWS_PER_DAY, List.of(start(days.first()), start(days.last().plusDays(1)), Schema.ADOPTED_SOURCE),
                    rs -> rows.put(rs.getDate(1).toLocalDate(), rs.getLong(2)));
        } catch (RuntimeException e) {
            // The warehouse's own part reports why; the days are then shown without a check.
            return new LakeStatus(store, false, days, null, null);
        }
        return new LakeStatus(store, false, days, rows, null);
    }

    private static Timestamp start(LocalDate day) {
        return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The lake's part and the compacted files no consumer has counted. */
    record Read(StatusReport.Lake lake, List<String> uncounted) {
    }

    /**
     * Step two, after the listing.
     *
     * @param listed  the data files listed in {@code incoming/} and {@code archive/}: their days are waiting
     * @param through per writer, the sequence number up to which its published counts cover its files;
     *                null when they could not be read (then no compacted file is looked for)
     */
    Read finish(List<String> listed, Map<String, Long> through) {
        if (empty) {
            return new Read(null, List.of());
        }
        if (error != null) {
            return new Read(new StatusReport.Lake(0, 0, 0, List.of(), List.of(), List.of(), error), List.of());
        }
        LakeState state;
        List<String> uncounted = new ArrayList<>();
        try {
            state = LakeReader.read(store);
            for (LakeState.Day d : state.days().values()) {
                for (LakeCommit c : through == null ? List.<LakeCommit>of() : d.committed()) {
                    if (c.writers().entrySet().stream().anyMatch(w -> w.getValue() > through.getOrDefault(w.getKey(), 0L))) {
                        for (LakeCommit.Source s : LakeReader.sources(store, c)) {
                            DfsLayout.fileName(s.key()).filter(f -> f.seq() > through.getOrDefault(f.writer(), 0L))
                                    .ifPresent(f -> uncounted.add(s.key()));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Read(new StatusReport.Lake(0, 0, 0, List.of(), List.of(), List.of(), StatusReader.describe(e)), List.of());
        }
        Set<LocalDate> waiting = new TreeSet<>();
        listed.forEach(k -> DfsLayout.partition(k).ifPresent(waiting::add));
        List<StatusReport.LakeDay> days = new ArrayList<>();
        List<String> problems = new ArrayList<>(state.unreadable());
        List<String> notes = new ArrayList<>();
        for (LakeState.Day d : state.days().values()) {
            if (!d.committed().isEmpty()) {
                days.add(new StatusReport.LakeDay(d.date().toString(), d.committed().size(), d.rows(),
                        warehouseRows == null || !queried.contains(d.date()) ? null : warehouseRows.getOrDefault(d.date(), 0L),
                        waiting.contains(d.date())));
            }
            if (!d.orphans().isEmpty()) {
                problems.add("Parquet files in the lake without a record: " + String.join(", ", d.orphans()));
            }
            if (!d.uncommitted().isEmpty()) {
                notes.add("dt=" + d.date() + ": " + d.uncommitted().size() + " generations never committed (their files are still in "
                        + "archive/; the next compaction discards them)");
            }
        }
        return new Read(new StatusReport.Lake(state.files(), state.bytes(), state.rows(), days, problems, notes, null), uncounted);
    }
}
