package dev.eventpipe.lake;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;

/**
 * The record of one lake generation: one Parquet file and the archived files it was made from.
 * The compactor writes it (to {@code lake/commits/...}) before the Parquet file; the generation is
 * committed once its Parquet file exists, and then its sources may be deleted. A record whose
 * Parquet file does not exist is a generation that never committed: its sources are still in
 * {@code archive/} and count there. This class writes the record and reads it back.
 *
 * @param day               the event date (the partition), {@code YYYY-MM-DD}
 * @param generation        sortable id: creation time in UTC, then random hex
 * @param parquet           the Parquet file's key
 * @param parquetBytes      its size
 * @param rows              rows in it (each event id once in the day)
 * @param rowsRead          rows in its source files
 * @param duplicatesDropped rows of the sources left out: an id earlier in the generation or already in the day's lake
 * @param sources           the archived files, each with the rows it gave to this Parquet file
 * @param createdAt         when the generation was planned, ISO-8601 UTC
 */
public record LakeCommit(String day, String generation, String parquet,
                         @JsonProperty("parquet_bytes") long parquetBytes, long rows,
                         @JsonProperty("rows_read") long rowsRead,
                         @JsonProperty("duplicates_dropped") long duplicatesDropped, List<Source> sources,
                         @JsonProperty("created_at") String createdAt) {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LakeCommit {
        sources = sources == null ? null : List.copyOf(sources);
    }

    /** The event date. */
    public LocalDate date() {
        return LocalDate.parse(day);
    }

    /** An archived file and the rows it gave. */
    public record Source(String key, long rows) {
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a record written by {@link #toJson()}.
     *
     * @throws IOException when it is not one
     */
    public static LakeCommit read(InputStream in) throws IOException {
        LakeCommit c = JSON.readValue(in, LakeCommit.class);
        if (c.day() == null || c.generation() == null || c.parquet() == null || c.sources() == null) {
            throw new IOException("not a lake commit record: day, generation, parquet or sources missing");
        }
        try {
            c.date();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("not a lake commit record: day '" + c.day() + "' is not a date", e);
        }
        return c;
    }
}
