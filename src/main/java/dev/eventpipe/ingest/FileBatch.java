package dev.eventpipe.ingest;

import dev.eventpipe.store.NdjsonGzip;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of one file to be: the events of one date, or the dead-letter records of one day. Its
 * life is {@link State}: open (taking lines), sealed (a closed file waiting to be written), writing,
 * waiting to retry, durable. Owned by the {@link Writer}'s thread; not thread-safe.
 *
 * <p>Small batches keep their lines as they are; a batch that grows past {@link #COMPRESS_FROM} bytes
 * compresses from then on, so ten thousand open dates of one event each cost their lines, not ten
 * thousand gzip streams. {@link #memoryBytes()} counts all it holds, compressor included.
 */
final class FileBatch {

    enum Kind { EVENTS, RECORDS }

    enum State { OPEN, SEALED, WRITING, RETRY_WAIT, DURABLE }

    /** Raw bytes kept uncompressed before a batch starts a gzip stream. */
    static final int COMPRESS_FROM = 64 * 1024;
    /** What a gzip stream holds besides its output: zlib's window and hash tables (native) and two buffers. */
    static final int GZIP_FIXED_BYTES = 256 * 1024 + 2 * 8 * 1024 + 6 * 1024;
    /** Per line kept uncompressed: the array header and the list slot. */
    private static final int LINE_OVERHEAD = 32;

    final Kind kind;
    final LocalDate date;
    final Instant openedAt;
    private final int gzipLevel;
    private final Map<HeldMessage, Integer> holders = new IdentityHashMap<>();
    private List<byte[]> pending = new ArrayList<>();
    private NdjsonGzip.Writer gzip;
    private int lines;
    private long rawBytes;

    State state = State.OPEN;
    /** Set when sealed. */
    String key;
    long seq;
    byte[] data;
    int attempts;
    Instant nextAttemptAt;
    Throwable lastFailure;

    FileBatch(Kind kind, LocalDate date, Instant openedAt, int gzipLevel) {
        this.kind = kind;
        this.date = date;
        this.openedAt = openedAt;
        this.gzipLevel = gzipLevel;
    }

    void add(byte[] line, HeldMessage holder) {
        if (state != State.OPEN) {
            throw new IllegalStateException("batch is " + state + ", not open");
        }
        if (wouldStartCompressing(line.length)) {
            gzip = new NdjsonGzip.Writer(gzipLevel);
            for (byte[] p : pending) {
                gzip.line(p);
            }
            pending = null;
        }
        if (gzip != null) {
            gzip.line(line);
        } else {
            pending.add(line);
        }
        holders.merge(holder, 1, Integer::sum);
        lines++;
        rawBytes += line.length + 1;
    }

    /** Whether adding a line of {@code length} bytes would start this batch's gzip stream (and its fixed memory). */
    boolean wouldStartCompressing(int length) {
        return state == State.OPEN && gzip == null && rawBytes + length + 1 > COMPRESS_FROM;
    }

    int lines() {
        return lines;
    }

    long rawBytes() {
        return rawBytes;
    }

    Map<HeldMessage, Integer> holders() {
        return holders;
    }

    /** Every byte this batch holds in memory, now. */
    long memoryBytes() {
        if (data != null) {
            return data.length;
        }
        if (gzip == null) {
            return rawBytes + (long) lines * LINE_OVERHEAD;
        }
        // The output buffer grows by doubling: up to twice what it holds.
        return GZIP_FIXED_BYTES + 2 * gzip.compressedBytes();
    }

    /** Closes the batch: the file's bytes are made and kept until it is durable. */
    void seal(String key, long seq) {
        if (state != State.OPEN) {
            throw new IllegalStateException("batch is " + state + ", not open");
        }
        NdjsonGzip.Writer w = gzip;
        if (w == null) {
            w = new NdjsonGzip.Writer(gzipLevel);
            for (byte[] p : pending) {
                w.line(p);
            }
        }
        this.data = w.finish();
        this.pending = null;
        this.gzip = null;
        this.key = key;
        this.seq = seq;
        this.state = State.SEALED;
    }

    @Override
    public String toString() {
        return kind + " " + date + " (" + lines + " lines, " + state + (key == null ? "" : ", " + key) + ")";
    }
}
