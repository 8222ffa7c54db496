package dev.eventpipe.lake;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipe.store.DfsLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of one lake generation: one Parquet file, what it holds, and which consumers' files it
 * was made from. The compactor writes it (to {@code lake/commits/...}) after the list of its sources
 * ({@link Sources}) and before the Parquet file; the generation is committed once its Parquet file
 * exists, and only then may its sources be deleted. A record whose Parquet file does not exist is a
 * generation that never committed: its sources are still in {@code archive/} and count there. The
 * record stays small (no list of files), so {@code status} reads every record of the lake cheaply and
 * a list of sources only where it needs one. This class writes both and reads them back.
 *
 * @param day               the event date (the partition), {@code YYYY-MM-DD}
 * @param generation        sortable id: creation time in UTC, then random hex
 * @param parquet           the Parquet file's key
 * @param parquetBytes      its size
 * @param rows              rows in it (each event id once in the day)
 * @param rowsRead          rows in its source files
 * @param duplicatesDropped rows of the sources left out: an id earlier in the generation or already in the day's lake
 * @param files             how many archived files it was made from
 * @param writers           of those files, the highest sequence number per consumer ({@code <writer>-<seq>.ndjson.gz})
 * @param createdAt         when the generation was planned, ISO-8601 UTC
 */
public record LakeCommit(String day, String generation, String parquet, @JsonProperty("parquet_bytes") long parquetBytes,
                         long rows, @JsonProperty("rows_read") long rowsRead,
                         @JsonProperty("duplicates_dropped") long duplicatesDropped, long files, Map<String, Long> writers,
                         @JsonProperty("created_at") String createdAt) {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LakeCommit {
        writers = writers == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(writers));
    }

    /** The highest sequence number per writer among {@code sourceKeys} (names this layout does not make are left out). */
    static Map<String, Long> writersOf(List<String> sourceKeys) {
        Map<String, Long> out = new TreeMap<>();
        for (String k : sourceKeys) {
            DfsLayout.fileName(k).ifPresent(f -> out.merge(f.writer(), f.seq(), Math::max));
        }
        return out;
    }

    /** The event date. */
    public LocalDate date() {
        return LocalDate.parse(day);
    }

    /** Where this generation's list of sources is. */
    public String sourcesKey() {
        return DfsLayout.lakeSourcesKey(date(), generation);
    }

    public byte[] toJson() {
        return json(this);
    }

    /**
     * Reads a record written by {@link #toJson()}.
     *
     * @throws IOException when it is not one
     */
    public static LakeCommit read(InputStream in) throws IOException {
        LakeCommit c = JSON.readValue(in, LakeCommit.class);
        if (c.day() == null || c.generation() == null || c.parquet() == null) {
            throw new IOException("not a lake commit record: day, generation or parquet missing");
        }
        try {
            c.date();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("not a lake commit record: day '" + c.day() + "' is not a date", e);
        }
        return c;
    }

    /** The archived files of one generation, each with the rows it gave to the Parquet file. */
    public record Sources(List<Source> sources) {

        public Sources {
            sources = sources == null ? null : List.copyOf(sources);
        }

        public byte[] toJson() {
            return json(this);
        }

        /**
         * Reads a list written by {@link #toJson()}.
         *
         * @throws IOException when it is not one
         */
        public static Sources read(InputStream in) throws IOException {
            Sources s = JSON.readValue(in, Sources.class);
            if (s.sources() == null) {
                throw new IOException("not a lake sources list: sources missing");
            }
            return s;
        }
    }

    /** An archived file and the rows it gave. */
    public record Source(String key, long rows) {
    }

    private static byte[] json(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
