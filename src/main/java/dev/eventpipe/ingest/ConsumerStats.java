package dev.eventpipe.ingest;

import dev.eventpipe.event.RejectionReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a consumer, read by the progress log and the summary. Thread-safe. */
final class ConsumerStats {

    /** Minutes of valid/rejected counts kept for the health window of status. */
    static final int RECENT_MINUTES = 24 * 60;

    final LongAdder receivedMessages = new LongAdder();
    /** ReceiveMessage calls made, empty ones included: SQS bills each one. */
    final LongAdder receives = new LongAdder();
    final LongAdder validEvents = new LongAdder();
    final LongAdder writtenEvents = new LongAdder();
    final LongAdder files = new LongAdder();
    final LongAdder fileBytes = new LongAdder();
    final LongAdder deleted = new LongAdder();
    /** Messages left undeleted on purpose (a failed dead-letter send, a decode crash): the queue redelivers them. */
    final LongAdder kept = new LongAdder();
    /** Rejected events whose body went to the file store because it did not fit in a dead-letter message. */
    final LongAdder offloaded = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[RejectionReason.values().length];

    // Files finish out of order (several uploads at once). Files 1..countedThroughSeq are all written;
    // status counts any file of this writer numbered above it from the file store itself, so a consumer
    // killed between a write and its next published counts still reconciles exactly.
    private final TreeMap<Long, Long> finishedAhead = new TreeMap<>();
    private long countedThroughSeq;
    private long countedEvents;
    /** Per minute (epoch minute): valid and rejected events received. */
    private final TreeMap<Long, long[]> recent = new TreeMap<>();

    ConsumerStats() {
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /** Event file {@code seq} is durably written with {@code events} events. */
    synchronized void fileFinished(long seq, long events) {
        finishedAhead.put(seq, events);
        Long next;
        while ((next = finishedAhead.remove(countedThroughSeq + 1)) != null) {
            countedThroughSeq++;
            countedEvents += next;
        }
    }

    /** A message's events were received at {@code at}: {@code valid} good ones and one rejection per reason given. */
    void received(Instant at, int valid, List<RejectionReason> reasons) {
        validEvents.add(valid);
        for (RejectionReason r : reasons) {
            rejected[r.ordinal()].increment();
        }
        synchronized (this) {
            long[] b = recent.computeIfAbsent(at.getEpochSecond() / 60, m -> new long[2]);
            b[0] += valid;
            b[1] += reasons.size();
            while (recent.size() > RECENT_MINUTES) {
                recent.pollFirstEntry();
            }
        }
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
        List<ConsumerSummary.Minute> minutes = new ArrayList<>(recent.size());
        recent.forEach((m, b) -> minutes.add(new ConsumerSummary.Minute(m, b[0], b[1])));
        long valid = validEvents.sum();
        long rej = rejectedTotal();
        double s = Math.max(seconds, 1e-9);
        return new ConsumerSummary(writer, updatedAt, receivedMessages.sum(), valid + rej, valid, byReason, rej, writtenEvents.sum(),
                files.sum(), fileBytes.sum(), countedThroughSeq, countedEvents, deleted.sum(), kept.sum(), offloaded.sum(), peakBuffered,
                Math.round(seconds * 1000) / 1000.0,
                Math.round(writtenEvents.sum() / s * 10) / 10.0, minutes);
    }
}
