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

    /** Valid events with distinct ids that reached the queue. */
    public long uniqueValid() {
        return sent - faults.getOrDefault("duplicate", 0L) - faults.getOrDefault("malformed", 0L)
                - faults.getOrDefault("oversize", 0L);
    }
}
