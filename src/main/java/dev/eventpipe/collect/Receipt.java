package dev.eventpipe.collect;

import dev.eventpipe.event.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * The collector's receipt of one request: its clock's reading, written once, and the {@code sentAt} its
 * calls repeat (an SDK stamps one flush's calls alike), parsed and written once. Every call of a batch
 * needs both; parsing and writing them per call was a tenth of the mapping's CPU. One request's calls
 * are mapped on one thread, so this holds no lock.
 */
final class Receipt {

    private final Instant at;
    private final String atText;
    private String sentText;
    private OffsetDateTime sent;
    private String sentUtc;

    Receipt(Instant at) {
        this.at = at;
        this.atText = Timestamps.formatUtc(at);
    }

    /** When the request arrived. */
    Instant at() {
        return at;
    }

    /** {@link #at()} as the event's columns write it. */
    String atText() {
        return atText;
    }

    /** {@code text} as a time, or null when it is no usable one; the last text asked for is remembered. */
    OffsetDateTime sentAt(String text) {
        remember(text);
        return sent;
    }

    /** {@code text}'s time as the event's columns write it in UTC; the receipt's own when it is no usable time. */
    String sentAtText(String text) {
        remember(text);
        return sentUtc;
    }

    private void remember(String text) {
        if (sentUtc != null && Objects.equals(text, sentText)) {
            return;
        }
        sentText = text;
        sent = SegmentTimes.parseOrNull(text);
        sentUtc = sent == null ? atText : Timestamps.formatUtc(sent.toInstant());
    }
}
