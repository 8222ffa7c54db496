package dev.eventpipe.bus;

import dev.eventpipe.retry.Retriable;

/**
 * The queue could not be used: unreachable, refused, or missing. {@link #retriable()} tells whether
 * trying again later may succeed (a network error or throttling) or not (a missing queue, bad credentials).
 */
public final class BusException extends RuntimeException implements Retriable {

    private final boolean retriable;

    public BusException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    @Override
    public boolean retriable() {
        return retriable;
    }
}
