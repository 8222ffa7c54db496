package dev.eventpipe.status;

import dev.eventpipe.ingest.DeadLetterRecord;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.NdjsonGzip;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoredObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The consumers' dead-letter records, read from the file store and folded to one fate per rejected
 * element (its latest record): rejected, or replayed and accepted. Counting keys, not lines, is what
 * makes a redelivered message's rejections count once.
 */
public final class DeadLetterTally {

    private final long files;
    private final Map<String, DeadLetterRecord> latest;

    private DeadLetterTally(long files, Map<String, DeadLetterRecord> latest) {
        this.files = files;
        this.latest = latest;
    }

    /**
     * Reads every record file; a half-written or foreign line is skipped.
     *
     * @throws dev.eventpipe.store.StoreException when the store cannot be listed or read
     */
    public static DeadLetterTally read(ObjectStore store) {
        Map<String, DeadLetterRecord> latest = new HashMap<>();
        List<StoredObject> objects;
        try (Stream<StoredObject> s = store.list(DfsLayout.DEAD_LETTER_RECORDS)) {
            objects = s.filter(o -> o.key().endsWith(DfsLayout.RECORDS_SUFFIX)).toList();
        }
        for (StoredObject o : objects) {
            try (InputStream in = store.open(o.key()); BufferedReader r = NdjsonGzip.reader(in)) {
                String line;
                while ((line = r.readLine()) != null) {
                    DeadLetterRecord rec;
                    try {
                        rec = DeadLetterRecord.parse(line);
                    } catch (IOException e) {
                        continue;
                    }
                    latest.merge(rec.key(), rec, (a, b) -> b.time().isAfter(a.time()) ? b : a);
                }
            } catch (IOException e) {
                // a file cut short (its writer died mid-put cannot happen: puts are whole) or damaged: what was read counts
            }
        }
        return new DeadLetterTally(objects.size(), latest);
    }

    public long files() {
        return files;
    }

    /** Elements whose latest record is a rejection, by reason. */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> by = new TreeMap<>();
        for (DeadLetterRecord r : latest.values()) {
            if (r.isRejected()) {
                by.merge(r.reason(), 1L, Long::sum);
            }
        }
        return by;
    }

    public long rejected() {
        return latest.values().stream().filter(DeadLetterRecord::isRejected).count();
    }

    /** Elements replayed from the dead-letter queue and accepted since. */
    public long replayed() {
        return latest.values().stream().filter(r -> !r.isRejected()).count();
    }

    /** The detail of the newest rejection of each reason. */
    public Map<String, String> samples() {
        Map<String, DeadLetterRecord> newest = new TreeMap<>();
        for (DeadLetterRecord r : latest.values()) {
            if (r.isRejected()) {
                newest.merge(r.reason(), r, (a, b) -> b.time().isAfter(a.time()) ? b : a);
            }
        }
        Map<String, String> out = new TreeMap<>();
        newest.forEach((k, v) -> out.put(k, v.detail()));
        return out;
    }

    /** Rejections (latest records) received at or after {@code since}, by reason. */
    public Map<String, Long> rejectedSince(Instant since) {
        Map<String, Long> by = new TreeMap<>();
        for (DeadLetterRecord r : latest.values()) {
            if (r.isRejected() && !r.time().isBefore(since)) {
                by.merge(r.reason(), 1L, Long::sum);
            }
        }
        return by;
    }
}
