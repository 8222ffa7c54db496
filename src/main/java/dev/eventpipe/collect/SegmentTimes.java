package dev.eventpipe.collect;

import dev.eventpipe.event.Timestamps;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * An event's times as Segment defines them: {@code received_at} is the collector's clock, {@code sent_at}
 * the client's {@code sentAt}, {@code original_timestamp} the {@code timestamp} as the device sent it, and
 * {@code timestamp = receivedAt - (sentAt - originalTimestamp)}: the device's clock skew taken out.
 * Without a usable {@code sentAt} no skew can be known ({@code sent_at} is then the receipt); without a
 * usable {@code timestamp} the event happened when it was received.
 *
 * @param original the device's time with its offset, or null
 */
record SegmentTimes(Instant receivedAt, Instant sentAt, OffsetDateTime original, Instant timestamp) {

    /** @param sent the client's {@code sentAt}, parsed (null: none usable) */
    static SegmentTimes of(Instant receivedAt, OffsetDateTime sent, String timestampText) {
        OffsetDateTime original = parseOrNull(timestampText);
        Instant sentAt = sent == null ? receivedAt : sent.toInstant();
        Instant timestamp = receivedAt;
        if (original != null) {
            try {
                Instant corrected = receivedAt.minus(Duration.between(original.toInstant(), sentAt));
                // The warehouses hold four-digit years: a correction that leaves them is no usable time.
                Timestamps.formatUtc(corrected);
                timestamp = corrected;
            } catch (ArithmeticException | DateTimeException | IllegalArgumentException e) {
                original = null;
            }
        }
        return new SegmentTimes(receivedAt, sentAt, original, timestamp);
    }

    /** {@code text} as a time the event's fields can take, or null. */
    static OffsetDateTime parseOrNull(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
