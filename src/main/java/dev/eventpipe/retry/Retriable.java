package dev.eventpipe.retry;

/**
 * An exception whose thrower decided, at the point of failure, whether trying again later may
 * succeed (a network error, throttling, a locked file, a full disk) or cannot (a missing queue or
 * bucket, refused credentials, bad SQL). Adapters classify; {@link RetryPolicy} only reads it.
 */
public interface Retriable {

    /** Whether the same call may succeed if tried again later. */
    boolean retriable();

    /**
     * Whether {@code e} or any exception in its cause chain says it is retriable. An exception that
     * no adapter classified (a bug, an unexpected runtime error) is not.
     */
    static boolean isRetriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Retriable r) {
                return r.retriable();
            }
        }
        return false;
    }
}
