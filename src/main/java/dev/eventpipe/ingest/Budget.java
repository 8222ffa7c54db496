package dev.eventpipe.ingest;

import java.util.function.BooleanSupplier;

/**
 * The consumer's memory bound: bytes in transit from pollers to the writer, plus every byte the
 * writer's batches hold. Pollers wait for room before they receive more; the writer, which must
 * never wait, reports what it holds and writes batches out when the total is over the bound.
 * Thread-safe.
 */
final class Budget {

    private final long max;
    private long inTransit;
    private long held;
    private long peak;

    Budget(long max) {
        this.max = max;
    }

    long max() {
        return max;
    }

    /** Waits until the total is under the bound; false when {@code running} turned false meanwhile. */
    synchronized boolean awaitRoom(BooleanSupplier running) throws InterruptedException {
        while (inTransit + held >= max) {
            if (!running.getAsBoolean()) {
                return false;
            }
            wait(100);
        }
        return running.getAsBoolean();
    }

    /** A poller hands {@code bytes} to the writer. */
    synchronized void reserve(long bytes) {
        inTransit += bytes;
        peak = Math.max(peak, inTransit + held);
    }

    /** The writer took {@code bytes} in (they now count in what it holds). */
    synchronized void taken(long bytes) {
        inTransit -= bytes;
        notifyAll();
    }

    /** What the writer's batches hold now. */
    synchronized void held(long bytes) {
        held = bytes;
        peak = Math.max(peak, inTransit + held);
        notifyAll();
    }

    synchronized boolean over() {
        return inTransit + held >= max;
    }

    synchronized long used() {
        return inTransit + held;
    }

    synchronized long peak() {
        return peak;
    }
}
