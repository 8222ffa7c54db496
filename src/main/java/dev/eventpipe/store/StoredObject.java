package dev.eventpipe.store;

import java.time.Instant;

/** One object of the store: its key, its size in bytes and when it was last written. */
public record StoredObject(String key, long size, Instant lastModified) {
}
