package dev.eventpipe.generate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * What a simulator run handed to the queue. Events are counted once each: {@code sent} were
 * accepted by the queue (faulty ones included), {@code failed} were refused. Faults are counted
 * among the sent events only, so the unique valid events sent are
 * {@code sent - duplicate - malformed - oversize}.
 */
@JsonPropertyOrder({"sent", "failed", "messages", "faults", "malformed_by_reason", "seconds", "events_per_sec"})
public record GeneratorSummary(
        long sent,
        long failed,
        long messages,
        Map<String, Long> faults,
        @JsonProperty("malformed_by_reason") Map<String, Long> malformedByReason,
        double seconds,
        @JsonProperty("events_per_sec") double eventsPerSec) {

    /** Faults of one kind ({@code duplicate}, {@code malformed}, {@code oversize}, {@code late}) among the sent events. */
    public long fault(String kind) {
        return faults == null ? 0 : faults.getOrDefault(kind, 0L);
    }

    /**
     * Reads a summary written with {@code --summary-json}: the writer of the record owns its reader.
     *
     * @throws java.io.IOException when the file is not such a summary
     */
    public static GeneratorSummary read(java.nio.file.Path file) throws java.io.IOException {
        GeneratorSummary s = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(file.toFile(), GeneratorSummary.class);
        if (s.faults() == null) {
            throw new java.io.IOException("no \"faults\" in it");
        }
        return s;
    }

    /** Valid events with distinct ids that reached the queue. */
    public long uniqueValid() {
        return sent - faults.getOrDefault("duplicate", 0L) - faults.getOrDefault("malformed", 0L)
                - faults.getOrDefault("oversize", 0L);
    }
}
