package dev.eventpipe.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * What a consumer run did, also published to the file store ({@code stats/consumers/<writer>.json})
 * for {@code eventpipe status}. {@code receivedEvents = validEvents + rejectedTotal}; {@code written}
 * counts valid events now in durable files; {@code deleted} counts messages acknowledged. Files
 * {@code 1..counted_through_seq} of this writer are all written and {@code counted_events} are
 * theirs, so status can count any later file from the file store itself.
 */
@JsonPropertyOrder({"writer", "updated_at", "received_messages", "received_events", "valid_events", "rejected", "rejected_total",
        "written_events", "files", "file_bytes",
        "counted_through_seq", "counted_events", "deleted_messages", "kept_messages", "peak_buffered_bytes", "seconds", "events_per_sec"})
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
        @JsonProperty("counted_through_seq") long countedThroughSeq,
        @JsonProperty("counted_events") long countedEvents,
        @JsonProperty("deleted_messages") long deletedMessages,
        @JsonProperty("kept_messages") long keptMessages,
        @JsonProperty("peak_buffered_bytes") long peakBufferedBytes,
        double seconds,
        @JsonProperty("events_per_sec") double eventsPerSec) {
}
