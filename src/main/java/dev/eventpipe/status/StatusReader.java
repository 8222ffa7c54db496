package dev.eventpipe.status;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.config.StatusSettings;
import dev.eventpipe.generate.GeneratorSummary;
import dev.eventpipe.ingest.ConsumerSummary;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import dev.eventpipe.warehouse.JobRun;
import dev.eventpipe.warehouse.Warehouse;
import dev.eventpipe.warehouse.WarehouseStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads what every stage holds and puts it together as a {@link StatusReport}: queue depths, files
 * per area, the consumers' published counts (through their own {@link ConsumerSummary} reader), the
 * dead-letter records, the warehouse, the health of the last window, and whether the counts reconcile.
 * A part that cannot be read is reported with its error, never taken as zero.
 */
public final class StatusReader {

    /** Rows of pending files are counted up to this many files; beyond, the check says so. */
    private static final int COUNT_ROWS_UP_TO = 500;

    private final Supplier<EventBus> bus;
    private final ObjectStore store;
    private final Supplier<Warehouse> warehouse;
    private final String queueName;
    private final String deadLetterName;
    private final String warehouseKind;
    private final StatusSettings settings;
    private final Clock clock;

    public StatusReader(Supplier<EventBus> bus, String queueName, String deadLetterName, ObjectStore store,
                        Supplier<Warehouse> warehouse, String warehouseKind, StatusSettings settings, Clock clock) {
        this.bus = bus;
        this.queueName = queueName;
        this.deadLetterName = deadLetterName;
        this.store = store;
        this.warehouse = warehouse;
        this.warehouseKind = warehouseKind;
        this.settings = settings;
        this.clock = clock;
    }

    /** Reads every part; {@code generated} is a generator's summary to reconcile against, or null. */
    public StatusReport read(GeneratorSummary generated) {
        StatusReport.Queue queue = queue();
        LakeStatus lakeStatus = LakeStatus.begin(store, warehouse);
        Listing listing = Listing.of(store);
        LineCounts lines = new LineCounts(store);
        StatusReport.Files files = files(listing, lines);
        List<ConsumerSummary> published = published();
        LakeStatus.Read lake = lakeStatus.finish(Stream.concat(listing.incoming().stream(), listing.archive().stream())
                .map(StoredObject::key).toList(), published == null ? null : through(published));
        List<String> uncounted = uncounted(listing, published, lake.uncounted());
        List<StatusReport.Job> jobs = new ArrayList<>();
        Map<String, Long> ledgerRows = new HashMap<>();
        StatusReport.Warehouse w = warehouse(jobs,
                uncounted.stream().filter(k -> k.startsWith(DfsLayout.ARCHIVE)).map(DfsLayout::incomingKeyOf).toList(), ledgerRows);
        StatusReport.Counts counts = counts(published, uncounted, ledgerRows, lines);
        DeadLetterTally tally = null;
        StatusReport.DeadLetters dead;
        try {
            tally = DeadLetterTally.read(store);
            dead = new StatusReport.DeadLetters(tally.files(), tally.rejected(), tally.rejectedByReason(), tally.replayed(),
                    tally.samples(), null);
        } catch (RuntimeException e) {
            dead = new StatusReport.DeadLetters(0, 0, Map.of(), 0, Map.of(), describe(e));
        }
        StatusReport.Generated gen = generated == null ? null : new StatusReport.Generated(generated.sent(),
                generated.fault("duplicate"), generated.fault("malformed"), generated.fault("oversize"), generated.uniqueValid());
        StatusReport.Health health = Health.check(published, tally, settings, clock.instant());
        StatusReport.Reconciliation rec = Reconciliation.check(counts, files, w, queue, dead, gen, lake.lake());
        return new StatusReport(queue, files, w, lake.lake(), jobs, counts, dead, gen, health, rec);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private StatusReport.Queue queue() {
        try (EventBus b = bus.get()) {
            QueueDepth d = b.depth();
            return new StatusReport.Queue(queueName, deadLetterName, d.visible(), d.inFlight(), d.deadLetterVisible(),
                    d.deadLetterInFlight(), null);
        } catch (RuntimeException e) {
            return new StatusReport.Queue(queueName, deadLetterName, null, null, null, null, describe(e));
        }
    }

    /** The data files of each area, listed once; or why they could not be. */
    private record Listing(List<StoredObject> incoming, List<StoredObject> archive, List<StoredObject> quarantine, String error) {

        static Listing of(ObjectStore store) {
            try {
                return new Listing(dataFiles(store, DfsLayout.INCOMING), dataFiles(store, DfsLayout.ARCHIVE),
                        dataFiles(store, DfsLayout.QUARANTINE), null);
            } catch (RuntimeException e) {
                return new Listing(List.of(), List.of(), List.of(), describe(e));
            }
        }

        private static List<StoredObject> dataFiles(ObjectStore store, String prefix) {
            try (Stream<StoredObject> s = store.list(prefix)) {
                return s.filter(o -> o.key().endsWith(DfsLayout.SUFFIX)).toList();
            }
        }

        Stream<StoredObject> all() {
            return Stream.of(incoming, archive, quarantine).flatMap(List::stream);
        }
    }

    private StatusReport.Files files(Listing listing, LineCounts lines) {
        if (listing.error() != null) {
            return new StatusReport.Files(store.location(), null, null, null, listing.error());
        }
        return new StatusReport.Files(store.location(), area(listing.incoming(), lines), area(listing.archive(), null),
                area(listing.quarantine(), lines), null);
    }

    /** An area's files and bytes, and its rows when {@code lines} is given and the files are few enough to read. */
    private static StatusReport.Area area(List<StoredObject> objects, LineCounts lines) {
        long bytes = objects.stream().mapToLong(StoredObject::size).sum();
        Long rows = null;
        if (lines != null && objects.size() <= COUNT_ROWS_UP_TO) {
            long n = 0;
            for (StoredObject o : objects) {
                n += lines.of(o.key());
            }
            rows = n;
        }
        return new StatusReport.Area(objects.size(), bytes, rows);
    }

    /** Lines of data files, each file read at most once per status. */
    private static final class LineCounts {
        private final ObjectStore store;
        private final Map<String, Long> counted = new HashMap<>();

        LineCounts(ObjectStore store) {
            this.store = store;
        }

        /** Lines of a file; an unreadable file counts what could be read (it is the loader's to quarantine). */
        long of(String key) {
            return counted.computeIfAbsent(key, this::read);
        }

        private long read(String key) {
            long n = 0;
            try (InputStream in = store.open(key); BufferedReader r = NdjsonGzip.reader(in)) {
                while (r.readLine() != null) {
                    n++;
                }
            } catch (IOException | RuntimeException e) {
                return n;
            }
            return n;
        }
    }

    /** Every consumer's published counts; null when the file store cannot be read. */
    private List<ConsumerSummary> published() {
        List<ConsumerSummary> out = new ArrayList<>();
        try (Stream<StoredObject> s = store.list(DfsLayout.CONSUMER_STATS)) {
            for (StoredObject o : s.toList()) {
                try (InputStream in = store.open(o.key())) {
                    out.add(ConsumerSummary.read(in));
                } catch (IOException | RuntimeException e) {
                    // A half-written or foreign file: its writer's files are all counted from the store.
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return out;
    }

    /**
     * Data files (in any area) that their consumer had not counted when it last published: it was
     * killed, or has not published since. They are counted from the store itself, so the written
     * count is exact whenever a consumer stopped.
     */
    private static List<String> uncounted(Listing listing, List<ConsumerSummary> published, List<String> compacted) {
        if (published == null || listing.error() != null) {
            return List.of();
        }
        Map<String, Long> through = through(published);
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        listing.all().forEach(o -> DfsLayout.fileName(o.key()).ifPresent(f -> {
            if (f.seq() > through.getOrDefault(f.writer(), 0L)) {
                out.add(o.key());
            }
        }));
        // Compacted into the lake and deleted from archive/: still written by their consumer. A file
        // compacted and not yet deleted is in both; it counts once.
        out.addAll(compacted);
        return new ArrayList<>(out);
    }

    /** Per writer, the sequence number up to which its published counts cover its files. */
    private static Map<String, Long> through(List<ConsumerSummary> published) {
        Map<String, Long> through = new HashMap<>();
        for (ConsumerSummary p : published) {
            through.put(p.writer(), p.countedThrough());
        }
        return through;
    }

    private static StatusReport.Counts counts(List<ConsumerSummary> published, List<String> uncounted, Map<String, Long> ledgerRows,
                                              LineCounts lines) {
        if (published == null) {
            return null;
        }
        long received = 0;
        long valid = 0;
        long written = 0;
        long files = 0;
        Map<String, Long> rejected = new LinkedHashMap<>();
        for (ConsumerSummary p : published) {
            received += p.receivedEvents();
            valid += p.validEvents();
            written += p.countedWritten();
            files += p.countedFiles();
            p.rejected().forEach((k, v) -> rejected.merge(k, v, Long::sum));
        }
        long uncountedEvents = 0;
        for (String key : uncounted) {
            Long rows = key.startsWith(DfsLayout.ARCHIVE) ? ledgerRows.get(DfsLayout.incomingKeyOf(key)) : null;
            uncountedEvents += rows != null ? rows : lines.of(key);
        }
        long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
        return new StatusReport.Counts(published.size(), received, valid, rejected, rejectedTotal, written + uncountedEvents,
                files + uncounted.size(), uncounted.size(), uncountedEvents);
    }

    private StatusReport.Warehouse warehouse(List<StatusReport.Job> jobs, List<String> ledgerKeys, Map<String, Long> ledgerRows) {
        try (Warehouse w = warehouse.get()) {
            w.ensureSchema();
            WarehouseStats st = w.stats();
            for (JobRun r : w.lastJobRuns(1)) {
                jobs.add(StatusReport.Job.of(r));
            }
            if (!ledgerKeys.isEmpty()) {
                ledgerRows.putAll(w.loadedFiles(ledgerKeys));
            }
            return new StatusReport.Warehouse(w.describe(), st.rows(), st.distinctIds(), st.filesLoaded(), st.rowsInFiles(),
                    st.duplicatesSkipped(), st.duplicatesRecorded(), st.lastLoad() == null ? null : st.lastLoad().toString(),
                    st.newestArrival() == null ? null : st.newestArrival().toString(), st.rowsAdopted(), null);
        } catch (RuntimeException e) {
            return new StatusReport.Warehouse(warehouseKind, null, null, null, null, null, null, null, null, null, describe(e));
        }
    }

    static Instant minuteStart(long epochMinute) {
        return Instant.ofEpochSecond(epochMinute * 60);
    }
}
