package dev.eventpipe.ingest;

import java.util.function.BooleanSupplier;

/**
 * The consumer's bounds: bytes in transit from pollers to the writer plus every byte the writer's
 * batches hold (memory), and, when asked for, messages received and not yet deleted (in flight on the
 * queue). Pollers wait for room before they receive more; the writer, which must never wait, reports
 * what it holds and writes batches out when a bound is reached. Thread-safe.
 *
 * <p>Waiting pollers are woken only when a change turns "no room" into "room": the writer and the
 * deleters report many times per second, and waking every poller on each report cost the consumer
 * more CPU than its receives.
 */
final class Budget {

    /** How long a waiting poller sleeps before it looks at {@code running} again. */
    private static final long RECHECK_MILLIS = 100;

    private final long max;
    private final int maxMessages;
    private final long recheckMillis;
    private long inTransit;
    private long held;
    private long peak;
    private long messagesInTransit;
    private long messagesHeld;
    private long messagesDeleting;
    private int waiting;

    Budget(long max) {
        this(max, 0);
    }

    /** @param maxMessages messages in flight at most, 0 for no bound */
    Budget(long max, int maxMessages) {
        this(max, maxMessages, RECHECK_MILLIS);
    }

    /** @param recheckMillis how often a waiting poller looks at {@code running} without being woken */
    Budget(long max, int maxMessages, long recheckMillis) {
        this.max = max;
        this.maxMessages = maxMessages;
        this.recheckMillis = recheckMillis;
    }

    long max() {
        return max;
    }

    /** Waits until the total is under the bound; false when {@code running} turned false meanwhile. */
    synchronized boolean awaitRoom(BooleanSupplier running) throws InterruptedException {
        while (full()) {
            if (!running.getAsBoolean()) {
                return false;
            }
            waiting++;
            try {
                wait(recheckMillis);
            } finally {
                waiting--;
            }
        }
        return running.getAsBoolean();
    }

    /** Whether a poller must wait: a poller waits only while this holds, so it is woken when this ends. */
    private boolean full() {
        return inTransit + held >= max || messagesOver() || inFlightOver();
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

    /** Wakes the waiting pollers if the change just made ended {@link #full()}. */
    private void wakeIfRoom(boolean wasFull) {
        if (wasFull && waiting > 0 && !full()) {
            notifyAll();
        }
    }

    /** Messages queued for deletion ({@code delta} > 0) or deleted or given up ({@code delta} < 0). */
    synchronized void deleting(int delta) {
        boolean wasFull = full();
        messagesDeleting += delta;
        wakeIfRoom(wasFull);
    }

    /** A poller hands {@code bytes} of one message to the writer. */
    void reserve(long bytes) {
        reserve(bytes, 1);
    }

    /** A poller hands {@code messages} messages of {@code bytes} in all to the writer. */
    synchronized void reserve(long bytes, int messages) {
        inTransit += bytes;
        messagesInTransit += messages;
        peak = Math.max(peak, inTransit + held);
    }

    /** What the writer holds now: bytes in its batches, and messages not yet complete. */
    void held(long bytes, long messages) {
        held(bytes, messages, 0, 0);
    }

    /**
     * What the writer holds now ({@code bytes} in its batches, {@code messages} not yet complete), having
     * taken {@code takenBytes} of {@code takenMessages} messages in since it last said: they leave the
     * count in transit in the same step as they join what it holds, so they are counted all along.
     */
    synchronized void held(long bytes, long messages, long takenBytes, long takenMessages) {
        boolean wasFull = full();
        inTransit -= takenBytes;
        messagesInTransit -= takenMessages;
        held = bytes;
        messagesHeld = messages;
        peak = Math.max(peak, inTransit + held);
        wakeIfRoom(wasFull);
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

    /** Pollers waiting for room now (for tests). */
    synchronized int waiting() {
        return waiting;
    }

    synchronized long peak() {
        return peak;
    }
}
