package dev.eventpipe.warehouse;

/**
 * The warehouse could not do what was asked; the message says what and why in one line.
 * {@link #retriable()} says whether the same work may succeed if tried again later: the dialect
 * decides it where the failure happened ({@link Dialect#isRetriable}), never a caller reading text.
 */
public class WarehouseException extends RuntimeException implements dev.eventpipe.retry.Retriable {

    private final boolean retriable;

    /** A failure that trying again will not cure (bad SQL, no permission, bad settings, a bad file). */
    public WarehouseException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public WarehouseException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the same call may succeed later: a lock held by another process, a lost connection, a serialization conflict. */
    @Override
    public boolean retriable() {
        return retriable;
    }
}
