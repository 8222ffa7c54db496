package dev.eventpipe.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * What a consumer run did, also published to the file store ({@code stats/consumers/<writer>.json})
 * for {@code eventpipe status}, which reads it back with {@link #read}: the writer of this record owns
 * its reader. {@code receivedEvents = validEvents + rejectedTotal}; {@code written} counts valid events
 * now in durable files; {@code deleted} counts messages acknowledged. Files
 * {@code 1..counted_through_seq} of this writer are all written and {@code counted_events} are theirs,
 * so status can count any later file from the file store itself.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"writer", "updated_at", "received_messages", "received_events", "valid_events", "rejected", "rejected_total",
        "written_events", "files", "file_bytes", "counted_through_seq", "counted_events", "deleted_messages", "kept_messages",
        "offloaded_dead_letters", "peak_buffered_bytes", "seconds", "events_per_sec", "recent"})
public record ConsumerSummary(
        String writer,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("received_messages") long receivedMessages,
        @JsonProperty("received_events") long receivedEvents,
        @JsonProperty("valid_events") long validEvents,
        Map<String, Long> rejected,
        @JsonProperty("rejected_total") long rejectedTotal,
        @JsonProperty("written_events") long writtenEvents,
        long files,
        @JsonProperty("file_bytes") long fileBytes,
        @JsonProperty("counted_through_seq") Long countedThroughSeq,
        @JsonProperty("counted_events") Long countedEvents,
        @JsonProperty("deleted_messages") long deletedMessages,
        @JsonProperty("kept_messages") long keptMessages,
        @JsonProperty("offloaded_dead_letters") long offloadedDeadLetters,
        @JsonProperty("peak_buffered_bytes") long peakBufferedBytes,
        double seconds,
        @JsonProperty("events_per_sec") double eventsPerSec,
        List<Minute> recent) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ConsumerSummary {
        rejected = rejected == null ? Map.of() : rejected;
        recent = recent == null ? List.of() : recent;
    }

    /** Valid and rejected events a consumer received in one minute ({@code minute}: minutes since the epoch, UTC). */
    public record Minute(long minute, long valid, long rejected) {
    }

    /**
     * Files 1..this of the writer are in {@link #countedEvents()}; a file numbered above is counted from
     * the store. Counts published before the watermark existed cover every file of their writer.
     */
    public long countedThrough() {
        return countedThroughSeq == null ? Long.MAX_VALUE : countedThroughSeq;
    }

    /** Events in files 1..{@link #countedThrough()}. */
    public long countedWritten() {
        return countedEvents == null ? writtenEvents : countedEvents;
    }

    /** Files counted in {@link #countedWritten()}. */
    public long countedFiles() {
        return countedThroughSeq == null ? files : countedThroughSeq;
    }

    public byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    /** Reads a published summary. */
    public static ConsumerSummary read(InputStream in) throws IOException {
        return JSON.readValue(in, ConsumerSummary.class);
    }
}
