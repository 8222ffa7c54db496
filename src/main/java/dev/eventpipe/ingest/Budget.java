package dev.eventpipe.ingest;

import java.util.function.BooleanSupplier;

/**
 * The consumer's bounds: bytes in transit from pollers to the writer plus every byte the writer's
 * batches hold (memory), and, when asked for, messages received and not yet deleted (in flight on the
 * queue). Pollers wait for room before they receive more; the writer, which must never wait, reports
 * what it holds and writes batches out when a bound is reached. Thread-safe.
 */
final class Budget {

    private final long max;
    private final int maxMessages;
    private long inTransit;
    private long held;
    private long peak;
    private long messagesInTransit;
    private long messagesHeld;
    private long messagesDeleting;

    Budget(long max) {
        this(max, 0);
    }

    /** @param maxMessages messages in flight at most, 0 for no bound */
    Budget(long max, int maxMessages) {
        this.max = max;
        this.maxMessages = maxMessages;
    }

    long max() {
        return max;
    }

    /** Waits until the total is under the bound; false when {@code running} turned false meanwhile. */
    synchronized boolean awaitRoom(BooleanSupplier running) throws InterruptedException {
        while (inTransit + held >= max || messagesOver() || inFlightOver()) {
            if (!running.getAsBoolean()) {
                return false;
            }
            wait(100);
        }
        return running.getAsBoolean();
    }

    private boolean messagesOver() {
        return maxMessages > 0 && messagesInTransit + messagesHeld >= maxMessages;
    }

    /**
     * Whether the queue holds too many of our messages in flight, counting those durable but not yet
     * deleted: a server slows as its in-flight messages grow (ElasticMQ sharply), so pollers wait for
     * the deletes too. Only pollers wait on this; the writer writes for what it holds, not for this.
     */
    private boolean inFlightOver() {
        return maxMessages > 0 && messagesInTransit + messagesHeld + messagesDeleting >= maxMessages;
    }

    /** Messages queued for deletion ({@code delta} > 0) or deleted or given up ({@code delta} < 0). */
    synchronized void deleting(int delta) {
        messagesDeleting += delta;
        if (delta < 0) {
            notifyAll();
        }
    }

    /** A poller hands {@code bytes} of one message to the writer. */
    synchronized void reserve(long bytes) {
        inTransit += bytes;
        messagesInTransit++;
        peak = Math.max(peak, inTransit + held);
    }

    /** The writer took {@code bytes} of one message in (they now count in what it holds). */
    synchronized void taken(long bytes) {
        inTransit -= bytes;
        messagesInTransit--;
        notifyAll();
    }

    /** What the writer holds now: bytes in its batches, and messages not yet complete. */
    synchronized void held(long bytes, long messages) {
        held = bytes;
        messagesHeld = messages;
        peak = Math.max(peak, inTransit + held);
        notifyAll();
    }

    /**
     * Whether half the in-flight bound is held: the writer then starts writing while pollers go on
     * receiving the other half, so the queue is never left waiting for a write (double buffering).
     */
    synchronized boolean messagesPastHalf() {
        return maxMessages > 0 && messagesInTransit + messagesHeld >= Math.max(1, maxMessages / 2);
    }

    /** Whether a bound is reached: the writer then writes its largest batch out. */
    synchronized boolean over() {
        return inTransit + held >= max || messagesOver();
    }

    synchronized long used() {
        return inTransit + held;
    }

    synchronized long peak() {
        return peak;
    }
}
