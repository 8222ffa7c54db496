package dev.eventpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.config.Settings;
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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code eventpipe status}: what every stage holds and whether the counts reconcile. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Queue depths, files in incoming/, archive/ and quarantine/, warehouse rows, the last job runs,",
                "and the per-stage counts (received, rejected by reason, written, loaded, duplicates skipped) with",
                "whether they reconcile. Exit code 1 when a part cannot be read or the counts do not reconcile."})
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows of pending files are counted up to this many files; beyond, the check says so. */
    private static final int COUNT_ROWS_UP_TO = 500;

    @ParentCommand
    private EventPipe root;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the status as JSON.")
    private boolean json;

    @Option(names = "--generated", paramLabel = "FILE", description = "A generator's --summary-json, to reconcile against what was sent.")
    private Path generated;

    @Override
    public Integer call() throws IOException {
        Settings settings = root.settings();
        settings.requireUsable(Settings.PathKey.DFS, Settings.PathKey.WAREHOUSE);
        PipelineStatus.Queue queue = queue(settings);
        ObjectStore store = Adapters.objectStore(settings, 4);
        Listing listing = Listing.of(store);
        LineCounts lines = new LineCounts(store);
        PipelineStatus.Files files = files(store, listing, lines);
        List<Published> published = published(store);
        List<String> uncounted = uncounted(listing, published);
        List<PipelineStatus.Job> jobs = new ArrayList<>();
        Map<String, Long> ledgerRows = new HashMap<>();
        PipelineStatus.Warehouse warehouse = warehouse(settings, jobs,
                uncounted.stream().filter(k -> k.startsWith(DfsLayout.ARCHIVE)).map(DfsLayout::incomingKeyOf).toList(), ledgerRows);
        PipelineStatus.Counts counts = counts(published, uncounted, ledgerRows, lines);
        PipelineStatus.Generated gen = generated == null ? null : generated(generated);
        PipelineStatus.Reconciliation rec = Reconciliation.check(counts, files, warehouse, queue, gen);
        PipelineStatus status = new PipelineStatus(queue, files, warehouse, jobs, counts, gen, rec);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            print(out, status);
        }
        out.flush();
        boolean readable = queue.error() == null && files.error() == null && warehouse.error() == null;
        return readable && rec.ok() ? EventPipe.EXIT_OK : EventPipe.EXIT_FAILURE;
    }

    /** The data files of each area, listed once; or why they could not be. */
    private record Listing(List<StoredObject> incoming, List<StoredObject> archive, List<StoredObject> quarantine, String error) {

        static Listing of(ObjectStore store) {
            try {
                return new Listing(dataFiles(store, DfsLayout.INCOMING), dataFiles(store, DfsLayout.ARCHIVE),
                        dataFiles(store, DfsLayout.QUARANTINE), null);
            } catch (RuntimeException e) {
                return new Listing(List.of(), List.of(), List.of(), EventPipe.describe(e));
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

    /** One consumer's published counts. */
    private record Published(String writer, JsonNode counts) {

        /** Files 1..this of the writer are in the counts; a file numbered above is counted from the store. */
        long countedThroughSeq() {
            // Counts from before counted_through_seq existed cover every file of their writer.
            return counts.has("counted_through_seq") ? counts.get("counted_through_seq").asLong() : Long.MAX_VALUE;
        }

        long countedEvents() {
            return counts.has("counted_events") ? counts.get("counted_events").asLong() : counts.path("written_events").asLong();
        }

        long countedFiles() {
            return counts.has("counted_through_seq") ? countedThroughSeq() : counts.path("files").asLong();
        }
    }

    private static PipelineStatus.Queue queue(Settings s) {
        String name = s.aws().sqsName();
        String dlq = s.aws().sqsDeadLetterName();
        try (EventBus bus = Adapters.eventBus(s, 1)) {
            QueueDepth d = bus.depth();
            return new PipelineStatus.Queue(name, dlq, d.visible(), d.inFlight(), d.deadLetterVisible(), d.deadLetterInFlight(), null);
        } catch (RuntimeException e) {
            return new PipelineStatus.Queue(name, dlq, null, null, null, null, EventPipe.describe(e));
        }
    }

    private static PipelineStatus.Files files(ObjectStore store, Listing listing, LineCounts lines) {
        if (listing.error() != null) {
            return new PipelineStatus.Files(store.location(), null, null, null, listing.error());
        }
        return new PipelineStatus.Files(store.location(), area(listing.incoming(), lines), area(listing.archive(), null),
                area(listing.quarantine(), lines), null);
    }

    /** An area's files and bytes, and its rows when {@code lines} is given and the files are few enough to read. */
    private static PipelineStatus.Area area(List<StoredObject> objects, LineCounts lines) {
        long bytes = objects.stream().mapToLong(StoredObject::size).sum();
        Long rows = null;
        if (lines != null && objects.size() <= COUNT_ROWS_UP_TO) {
            long n = 0;
            for (StoredObject o : objects) {
                n += lines.of(o.key());
            }
            rows = n;
        }
        return new PipelineStatus.Area(objects.size(), bytes, rows);
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
    private static List<Published> published(ObjectStore store) {
        List<Published> out = new ArrayList<>();
        try (Stream<StoredObject> s = store.list(DfsLayout.CONSUMER_STATS)) {
            for (StoredObject o : s.toList()) {
                try (InputStream in = store.open(o.key())) {
                    JsonNode n = JSON.readTree(in);
                    out.add(new Published(n.path("writer").asText(), n));
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
    private static List<String> uncounted(Listing listing, List<Published> published) {
        if (published == null || listing.error() != null) {
            return List.of();
        }
        Map<String, Long> through = new HashMap<>();
        for (Published p : published) {
            through.put(p.writer(), p.countedThroughSeq());
        }
        List<String> out = new ArrayList<>();
        listing.all().forEach(o -> DfsLayout.fileName(o.key()).ifPresent(f -> {
            if (f.seq() > through.getOrDefault(f.writer(), 0L)) {
                out.add(o.key());
            }
        }));
        return out;
    }

    private static PipelineStatus.Counts counts(List<Published> published, List<String> uncounted, Map<String, Long> ledgerRows,
                                                LineCounts lines) {
        if (published == null) {
            return null;
        }
        long received = 0;
        long valid = 0;
        long written = 0;
        long files = 0;
        Map<String, Long> rejected = new LinkedHashMap<>();
        for (Published p : published) {
            JsonNode n = p.counts();
            received += n.path("received_events").asLong();
            valid += n.path("valid_events").asLong();
            written += p.countedEvents();
            files += p.countedFiles();
            n.path("rejected").fields().forEachRemaining(e -> rejected.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        long uncountedEvents = 0;
        for (String key : uncounted) {
            Long rows = key.startsWith(DfsLayout.ARCHIVE) ? ledgerRows.get(DfsLayout.incomingKeyOf(key)) : null;
            uncountedEvents += rows != null ? rows : lines.of(key);
        }
        long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
        return new PipelineStatus.Counts(published.size(), received, valid, rejected, rejectedTotal, written + uncountedEvents,
                files + uncounted.size(), uncounted.size(), uncountedEvents);
    }

    private static PipelineStatus.Warehouse warehouse(Settings s, List<PipelineStatus.Job> jobs, List<String> ledgerKeys,
                                                      Map<String, Long> ledgerRows) {
        try (Warehouse w = Adapters.warehouse(s)) {
            w.ensureSchema();
            WarehouseStats st = w.stats();
            for (JobRun r : w.lastJobRuns(1)) {
                jobs.add(PipelineStatus.Job.of(r));
            }
            if (!ledgerKeys.isEmpty()) {
                ledgerRows.putAll(w.loadedFiles(ledgerKeys));
            }
            return new PipelineStatus.Warehouse(w.describe(), st.rows(), st.distinctIds(), st.filesLoaded(), st.rowsInFiles(),
                    st.duplicatesSkipped(), st.duplicatesRecorded(), st.lastLoad() == null ? null : st.lastLoad().toString(),
                    st.latestReceivedAt() == null ? null : st.latestReceivedAt().toString(), null);
        } catch (RuntimeException e) {
            return new PipelineStatus.Warehouse(s.warehouse().type().name().toLowerCase(), null, null, null, null, null, null,
                    null, null, EventPipe.describe(e));
        }
    }

    private static PipelineStatus.Generated generated(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw CommandException.usage("--generated '" + file + "' is not a generator summary: " + e.getMessage());
        }
        JsonNode f = n.path("faults");
        long sent = n.path("sent").asLong();
        long dup = f.path("duplicate").asLong();
        long mal = f.path("malformed").asLong();
        long over = f.path("oversize").asLong();
        return new PipelineStatus.Generated(sent, dup, mal, over, sent - dup - mal - over);
    }

    private static void print(PrintWriter out, PipelineStatus s) {
        PipelineStatus.Queue q = s.queue();
        out.println(q.error() != null ? "queue      " + q.name() + ": cannot read: " + q.error()
                : String.format("queue      '%s': %,d visible, %,d in flight; dead-letter '%s': %,d visible, %,d in flight",
                        q.name(), q.visible(), q.inFlight(), q.deadLetterName(), q.deadLetterVisible(), q.deadLetterInFlight()));
        PipelineStatus.Files f = s.files();
        out.println(f.error() != null ? "files      " + f.location() + ": cannot read: " + f.error()
                : "files      " + f.location() + ": incoming " + area(f.incoming()) + ", archive " + area(f.archive())
                        + ", quarantine " + area(f.quarantine()));
        PipelineStatus.Warehouse w = s.warehouse();
        out.println(w.error() != null ? "warehouse  " + w.location() + ": cannot read: " + w.error()
                : String.format("warehouse  %s: %,d rows, %,d distinct ids, %,d files loaded (%,d rows), %,d duplicates skipped, last load %s",
                        w.location(), w.rows(), w.distinctIds(), w.filesLoaded(), w.rowsLoaded(), w.duplicatesSkipped(),
                        w.lastLoad() == null ? "never" : w.lastLoad()));
        out.println("jobs       " + (s.jobs().isEmpty() ? "no runs yet" : s.jobs().stream()
                .map(j -> j.job() + " " + j.status() + " at " + j.started() + (j.detail() == null ? "" : " (" + j.detail() + ")"))
                .collect(Collectors.joining("; "))));
        PipelineStatus.Counts c = s.counts();
        if (c != null) {
            String rejected = c.rejected().entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            out.printf("counts     %d consumer runs: received %,d events (%,d valid, %,d rejected%s), written %,d in %,d files%s%n",
                    c.consumers(), c.receivedEvents(), c.validEvents(), c.rejectedTotal(), rejected.isEmpty() ? "" : ": " + rejected,
                    c.writtenEvents(), c.filesWritten(), c.uncountedFiles() == 0 ? ""
                            : String.format(" (%,d events in %,d files counted from the store: their consumer stopped or had not"
                                    + " published since writing them)", c.uncountedEvents(), c.uncountedFiles()));
        }
        if (s.generated() != null) {
            out.printf("generated  %,d sent, %,d unique valid%n", s.generated().sent(), s.generated().uniqueValid());
        }
        for (String check : s.reconciliation().checks()) {
            out.println("           " + check);
        }
        out.println(s.reconciliation().ok() ? "reconcile  OK: the counts agree"
                : "reconcile  MISMATCH: " + String.join("; ", s.reconciliation().problems()));
    }

    private static String area(PipelineStatus.Area a) {
        return String.format("%,d files (%.1f MB%s)", a.files(), a.bytes() / 1e6, a.rows() == null ? "" : String.format(", %,d rows", a.rows()));
    }
}
