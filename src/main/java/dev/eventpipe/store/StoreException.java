package dev.eventpipe.store;

/** The file store could not do what was asked. {@link #missing()} tells a missing object from other failures. */
public final class StoreException extends RuntimeException {

    private final boolean missing;

    public StoreException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public StoreException(String message, boolean missing, Throwable cause) {
        super(message, cause);
        this.missing = missing;
    }

    public boolean missing() {
        return missing;
    }
}
