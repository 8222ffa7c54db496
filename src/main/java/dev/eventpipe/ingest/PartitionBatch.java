package dev.eventpipe.ingest;

import dev.eventpipe.store.NdjsonGzip;
import java.time.Instant;
import java.time.LocalDate;
import java.util.IdentityHashMap;
import java.util.Map;

/** The events of one event date waiting to be written as one file, compressed as they arrive. */
final class PartitionBatch {

    final LocalDate date;
    final Instant openedAt;
    private final NdjsonGzip.Writer writer;
    /** Each message with events here, and how many. */
    private final Map<HeldMessage, Integer> holders = new IdentityHashMap<>();

    PartitionBatch(LocalDate date, Instant openedAt, int gzipLevel) {
        this.date = date;
        this.openedAt = openedAt;
        this.writer = new NdjsonGzip.Writer(gzipLevel);
    }

    void add(byte[] line, HeldMessage holder) {
        writer.line(line);
        holders.merge(holder, 1, Integer::sum);
    }

    int events() {
        return writer.lines();
    }

    long rawBytes() {
        return writer.rawBytes();
    }

    Map<HeldMessage, Integer> holders() {
        return holders;
    }

    /** The file's bytes; the batch takes no more events after this. */
    byte[] finish() {
        return writer.finish();
    }

}
