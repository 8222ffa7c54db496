package dev.eventpipe.collect;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request bytes the collector holds (bodies, unpacked bodies, mapped events) until the queue took
 * them, bounded: a reservation that would pass the bound is refused, and the request answered 503,
 * so a burst larger than memory slows clients down instead of ending the process.
 */
final class InflightBytes {

    private final long max;
    private final AtomicLong held;

    InflightBytes(long max, AtomicLong held) {
        this.max = max;
        this.held = held;
    }

    /** Holds {@code n} more bytes, unless that would pass the bound. */
    boolean tryReserve(long n) {
        while (true) {
            long now = held.get();
            if (now + n > max && now > 0) {
                return false;
            }
            if (held.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    void release(long n) {
        held.addAndGet(-n);
    }

    long max() {
        return max;
    }
}
