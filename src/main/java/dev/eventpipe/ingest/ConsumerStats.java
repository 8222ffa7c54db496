package dev.eventpipe.ingest;

import dev.eventpipe.event.RejectionReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a consumer, read by the progress log and the summary. */
final class ConsumerStats {

    final LongAdder receivedMessages = new LongAdder();
    final LongAdder validEvents = new LongAdder();
    final LongAdder writtenEvents = new LongAdder();
    final LongAdder files = new LongAdder();
    final LongAdder fileBytes = new LongAdder();
    final LongAdder deleted = new LongAdder();
    /** Messages left undeleted on purpose (a failed dead-letter send, a decode crash): the queue redelivers them. */
    final LongAdder kept = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[RejectionReason.values().length];

    // Files finish out of order (several threads write). Files 1..countedThroughSeq are all written;
    // status counts any file of this writer numbered above it from the file store itself, so a consumer
    // killed between a write and its next published counts still reconciles exactly.
    private final TreeMap<Long, Long> finishedAhead = new TreeMap<>();
    private long countedThroughSeq;
    private long countedEvents;

    ConsumerStats() {
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /** File {@code seq} is durably written with {@code events} events. */
    synchronized void fileFinished(long seq, long events) {
        finishedAhead.put(seq, events);
        Long next;
        while ((next = finishedAhead.remove(countedThroughSeq + 1)) != null) {
            countedThroughSeq++;
            countedEvents += next;
        }
    }

    void rejected(RejectionReason reason) {
        rejected[reason.ordinal()].increment();
    }

    long rejectedTotal() {
        long n = 0;
        for (LongAdder a : rejected) {
            n += a.sum();
        }
        return n;
    }

    synchronized ConsumerSummary summary(String writer, String updatedAt, double seconds, long peakBuffered) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (RejectionReason r : RejectionReason.values()) {
            byReason.put(r.code(), rejected[r.ordinal()].sum());
        }
        long valid = validEvents.sum();
        long rej = rejectedTotal();
        double s = Math.max(seconds, 1e-9);
        return new ConsumerSummary(writer, updatedAt, receivedMessages.sum(), valid + rej, valid, byReason, rej, writtenEvents.sum(),
                files.sum(), fileBytes.sum(), countedThroughSeq, countedEvents, deleted.sum(), kept.sum(), peakBuffered,
                Math.round(seconds * 1000) / 1000.0,
                Math.round(writtenEvents.sum() / s * 10) / 10.0);
    }
}
