package dev.eventpipe.config;

/**
 * {@code [consumer]}: how {@code eventpipe consume} batches events into files.
 * A partition (one event date) is written when it reaches {@code batchMaxEvents} events,
 * {@code batchMaxBytes} bytes of JSON, or {@code batchMaxAgeSeconds} since its first event.
 *
 * @param pollers          threads long-polling the queue
 * @param maxBufferedBytes JSON bytes held in all partitions at most; above it pollers wait (backpressure)
 * @param gzipLevel        1 (fastest) to 9 (smallest)
 * @param maxOpenBatches   per-date batches open at most; opening one more writes the oldest first
 * @param maxInflightMessages received messages held (not yet deleted) at most; at the bound the largest batch
 *                         is written and pollers wait: queue servers that slow down with many messages in
 *                         flight (ElasticMQ) stay fast; 0 for no bound
 * @param writerId         prefix of this consumer's file names (empty: the host name); the process id
 *                         and start time always follow
 */
public record ConsumerSettings(
        int pollers,
        int batchMaxEvents,
        long batchMaxBytes,
        int batchMaxAgeSeconds,
        long maxBufferedBytes,
        int gzipLevel,
        String writerId,
        int maxOpenBatches,
        int maxInflightMessages) {

    static final String SECTION = "consumer";

    /** Seconds a message must stay hidden beyond its batch's age, for the write and the delete. */
    public static final int WRITE_MARGIN_SECONDS = 30;

    static ConsumerSettings read(SettingsReader r) {
        int pollers = r.integer(SECTION, "pollers", 4, 1, 256);
        int maxEvents = r.integer(SECTION, "batch_max_events", 5_000, 1, 10_000_000);
        long maxBytes = r.longInteger(SECTION, "batch_max_bytes", 32L << 20, 1024, 4L << 30);
        int maxAge = r.integer(SECTION, "batch_max_age_seconds", 60, 1, 43_200 - WRITE_MARGIN_SECONDS);
        long buffered = r.longInteger(SECTION, "max_buffered_bytes", 64L << 20, 1024, 64L << 30);
        if (buffered < maxBytes) {
            throw r.invalid(SECTION, "max_buffered_bytes", "must be at least [consumer] batch_max_bytes (" + maxBytes + ")");
        }
        int level = r.integer(SECTION, "gzip_level", 1, 1, 9);
        String writer = r.parse(SECTION, "writer_id", "", s -> {
            if (!s.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(s);
            }
            return s;
        }, "must be 1 to 64 letters, digits, '.', '_' or '-'");
        int maxOpen = r.integer(SECTION, "max_open_batches", 64, 1, 100_000);
        int maxInflight = r.integer(SECTION, "max_inflight_messages", 0, 0, 120_000);
        return new ConsumerSettings(pollers, maxEvents, maxBytes, maxAge, buffered, level, writer, maxOpen, maxInflight);
    }
}
