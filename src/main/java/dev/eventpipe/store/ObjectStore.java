package dev.eventpipe.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The port to the distributed file store: a flat namespace of keys ({@code incoming/events/dt=.../x.ndjson.gz})
 * under one root, a local folder or an S3 bucket and prefix. Thread-safe.
 */
public interface ObjectStore {

    /** Where the store is, for logs: an absolute path or {@code s3://bucket/prefix}. */
    String location();

    /**
     * Creates the root folder or the bucket when missing; running it again changes nothing.
     *
     * @return one line saying what was done
     * @throws StoreException when the store cannot be reached or created
     */
    String ensureReady();

    /**
     * Stores {@code data} under {@code key}, replacing any object there. The object appears whole or
     * not at all, and is durable when this returns (local: written, fsynced and renamed into place;
     * S3: one PUT).
     *
     * @throws StoreException when the write did not happen; then nothing is at {@code key} that was not there before
     */
    void put(String key, byte[] data);

    /**
     * Stores the local file {@code file} under {@code key}, as {@link #put} does (whole or not at all,
     * durable on return), without holding it in memory: for large files such as the lake's Parquet.
     * The file is left where it is.
     *
     * @throws StoreException when the write did not happen; then nothing is at {@code key} that was not there before
     */
    default void putFile(String key, Path file) {
        try {
            put(key, java.nio.file.Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw new StoreException("cannot read '" + file + "' to store it as '" + key + "': " + e.getMessage(), e);
        }
    }

    /**
     * Opens an object for reading; the caller closes the stream.
     *
     * @throws StoreException when it is missing ({@link StoreException#missing()}) or cannot be read
     */
    InputStream open(String key);

    /**
     * Every object whose key starts with {@code prefix}, in key order. Large listings are fetched page
     * by page as the stream is consumed, with no limit on their size; close the stream when done.
     *
     * @throws StoreException when the listing fails
     */
    Stream<StoredObject> list(String prefix);

    /**
     * Moves an object. When it returns the object is at {@code to} and not at {@code from}. Moving an
     * object already moved (missing at {@code from}, present at {@code to}) is not an error, so an
     * interrupted move can be repeated.
     *
     * @throws StoreException when neither key holds the object, or the move fails
     */
    void move(String from, String to);

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key);

    /** Whether an object exists at {@code key}. */
    boolean exists(String key);

    /** The object's file, when the store is a local folder, so an engine can read it in place. */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    /** The object's {@code s3://bucket/key} URL, when the store is S3, so an engine (Redshift COPY) can read it there. */
    default Optional<String> s3Url(String key) {
        return Optional.empty();
    }
}
