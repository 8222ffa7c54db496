package dev.eventpipe.store;

import dev.eventpipe.retry.Retriable;

/**
 * The file store could not do what was asked. {@link #missing()} tells a missing object from other
 * failures; {@link #retriable()} is decided by the adapter where the failure happened (a full disk or
 * an S3 5xx may pass; a refused permission or a missing bucket will not).
 */
public final class StoreException extends RuntimeException implements Retriable {

    private final boolean missing;
    private final boolean retriable;

    /** A failure that may pass if tried again later. */
    public StoreException(String message, Throwable cause) {
        this(message, false, true, cause);
    }

    public StoreException(String message, boolean missing, Throwable cause) {
        this(message, missing, !missing, cause);
    }

    public StoreException(String message, boolean missing, boolean retriable, Throwable cause) {
        super(message, cause);
        this.missing = missing;
        this.retriable = retriable;
    }

    /** A failure that will not pass by trying again (permission refused, no such bucket). */
    public static StoreException fatal(String message, Throwable cause) {
        return new StoreException(message, false, false, cause);
    }

    public boolean missing() {
        return missing;
    }

    @Override
    public boolean retriable() {
        return retriable;
    }
}
