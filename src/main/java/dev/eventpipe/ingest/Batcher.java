package dev.eventpipe.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The open batches, one per event date, and the policy that closes them: by events, by bytes, or by
 * age. Closed batches are handed to the caller to write; their bytes count as buffered until
 * {@link #released} (written or given up), which is what backpressure waits on. Thread-safe.
 */
final class Batcher {

    private final int maxEvents;
    private final long maxBytes;
    private final Duration maxAge;
    private final int gzipLevel;
    private final Map<LocalDate, PartitionBatch> open = new HashMap<>();
    private long buffered;
    private long peakBuffered;
    private long heldEvents;

    Batcher(int maxEvents, long maxBytes, Duration maxAge, int gzipLevel) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.gzipLevel = gzipLevel;
    }

    /** Adds one event line; returns its batch when that is now full (closed, for the caller to write), else null. */
    synchronized PartitionBatch add(LocalDate date, byte[] line, HeldMessage holder, Instant now) {
        PartitionBatch b = open.get(date);
        if (b == null) {
            b = new PartitionBatch(date, now, gzipLevel);
            open.put(date, b);
        }
        b.add(line, holder);
        buffered += line.length + 1;
        peakBuffered = Math.max(peakBuffered, buffered);
        heldEvents++;
        if (b.events() >= maxEvents || b.rawBytes() >= maxBytes) {
            open.remove(date);
            return b;
        }
        return null;
    }

    /** Closes and returns the batches whose first event came {@code maxAge} or more before {@code now}. */
    synchronized List<PartitionBatch> takeDue(Instant now) {
        List<PartitionBatch> due = new ArrayList<>();
        for (Iterator<PartitionBatch> it = open.values().iterator(); it.hasNext(); ) {
            PartitionBatch b = it.next();
            if (!b.openedAt.plus(maxAge).isAfter(now)) {
                it.remove();
                due.add(b);
            }
        }
        return due;
    }

    /** Closes and returns every open batch. */
    synchronized List<PartitionBatch> takeAll() {
        List<PartitionBatch> all = new ArrayList<>(open.values());
        open.clear();
        return all;
    }

    /** Closes and returns the largest open batch, or null when none is open. */
    synchronized PartitionBatch takeLargest() {
        PartitionBatch largest = null;
        for (PartitionBatch b : open.values()) {
            if (largest == null || b.rawBytes() > largest.rawBytes()) {
                largest = b;
            }
        }
        if (largest != null) {
            open.remove(largest.date);
        }
        return largest;
    }

    /** A closed batch is written or given up: its bytes no longer count. */
    synchronized void released(PartitionBatch b) {
        buffered -= b.rawBytes();
        heldEvents -= b.events();
        notifyAll();
    }

    /** JSON bytes in open and closed-but-unwritten batches. */
    synchronized long buffered() {
        return buffered;
    }

    /** The most JSON bytes held at any time so far. */
    synchronized long peakBuffered() {
        return peakBuffered;
    }

    synchronized long heldEvents() {
        return heldEvents;
    }

    /** Waits up to {@code millis} for a batch to be released. */
    synchronized void awaitRelease(long millis) throws InterruptedException {
        wait(millis);
    }
}
