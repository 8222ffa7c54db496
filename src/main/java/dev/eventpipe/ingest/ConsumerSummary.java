package dev.eventpipe.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * What a consumer run did, also published to the file store ({@code stats/consumers/<writer>.json})
 * for {@code eventpipe status}. {@code receivedEvents = validEvents + rejectedTotal}; {@code written}
 * counts valid events now in durable files; {@code deleted} counts messages acknowledged.
 */
@JsonPropertyOrder({"writer", "updated_at", "received_messages", "received_events", "valid_events", "rejected", "rejected_total",
        "written_events", "files", "file_bytes", "deleted_messages", "kept_messages", "peak_buffered_bytes", "seconds", "events_per_sec"})
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
        @JsonProperty("deleted_messages") long deletedMessages,
        @JsonProperty("kept_messages") long keptMessages,
        @JsonProperty("peak_buffered_bytes") long peakBufferedBytes,
        double seconds,
        @JsonProperty("events_per_sec") double eventsPerSec) {
}
