package dev.eventpipe.ingest;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one batch of messages at once and says which could not be made durable: what the Lambda
 * handler does per invocation, with the consumer's own {@link Intake} (decoding, stamps, dead letters,
 * records) and file format. Nothing is deleted here: the caller (Lambda's event source mapping)
 * deletes every message but the failures.
 *
 * <p>Each file is named from the ids of the messages whose lines it holds ({@code lambda-<hash>}), so a
 * retried batch writes the same names and overwrites instead of adding; a retried subset writes other
 * names, and the loader's dedupe on event id drops the repeats.
 */
public final class BatchIngest {

    private static final Logger log = LoggerFactory.getLogger(BatchIngest.class);

    /** What a batch came to: the messages to retry, and counts for the log. */
    public record Result(Set<String> failed, int messages, long events, long rejected, int files) {
    }

    private final ObjectStore store;
    private final EventCodec codec;
    private final Intake intake;
    private final DeadLetterer deadLetterer;
    private final Clock clock;
    private final int gzipLevel;
    private final RetryPolicy retry;

    public BatchIngest(EventBus bus, ObjectStore store, EventCodec codec, Duration visibilityTimeout, int gzipLevel, Clock clock,
                       RetryPolicy retry) {
        this.store = store;
        this.codec = codec;
        this.intake = new Intake(codec);
        this.deadLetterer = new DeadLetterer(bus, store, clock, visibilityTimeout, new ConsumerStats());
        this.clock = clock;
        this.gzipLevel = gzipLevel;
        this.retry = retry;
    }

    /** Ingests {@code messages}; returns which must be delivered again. */
    public Result ingest(List<QueueMessage> messages) {
        Instant now = clock.instant();
        Set<String> failed = new LinkedHashSet<>();
        // Per date, the lines of each message (in message order, so a retry builds the same file).
        Map<LocalDate, Map<String, List<byte[]>>> events = new TreeMap<>();
        Map<LocalDate, Map<String, List<byte[]>>> records = new TreeMap<>();
        long eventCount = 0;
        long rejected = 0;
        for (QueueMessage m : messages) {
            DecodedBody d;
            try {
                d = codec.decode(m.body());
            } catch (RuntimeException e) {
                log.error("lambda: decoding message '{}' failed; it is returned for a retry", m.messageId(), e);
                failed.add(m.messageId());
                continue;
            }
            Intake.Parts p = intake.parts(m, d, now);
            DeadLetterer.Outcome dl = deadLetterer.send(m, p.rejections(), p.sources(), now);
            if (!dl.allSent()) {
                failed.add(m.messageId());
            }
            eventCount += p.events().size();
            rejected += p.rejections().size();
            for (Writer.Line l : p.events()) {
                events.computeIfAbsent(l.date(), x -> new LinkedHashMap<>()).computeIfAbsent(m.messageId(), x -> new ArrayList<>())
                        .add(l.bytes());
            }
            for (Writer.Line l : p.records()) {
                records.computeIfAbsent(l.date(), x -> new LinkedHashMap<>()).computeIfAbsent(m.messageId(), x -> new ArrayList<>())
                        .add(l.bytes());
            }
        }
        int files = 0;
        files += write(events, FileBatch.Kind.EVENTS, now, failed);
        files += write(records, FileBatch.Kind.RECORDS, now, failed);
        log.info("lambda: {} messages, {} valid events, {} rejected, {} files; {} returned for a retry",
                messages.size(), eventCount, rejected, files, failed.size());
        return new Result(failed, messages.size(), eventCount, rejected, files);
    }

    /** One file per date; a file that cannot be written fails every message with lines in it. */
    private int write(Map<LocalDate, Map<String, List<byte[]>>> byDate, FileBatch.Kind kind, Instant now, Set<String> failed) {
        int files = 0;
        for (Map.Entry<LocalDate, Map<String, List<byte[]>>> date : byDate.entrySet()) {
            Map<String, List<byte[]>> byMessage = date.getValue();
            FileBatch b = new FileBatch(kind, date.getKey(), now, gzipLevel);
            for (Map.Entry<String, List<byte[]>> m : byMessage.entrySet()) {
                HeldMessage holder = new HeldMessage(new QueueMessage(m.getKey(), null, null, 1), now, now, m.getValue().size(), false);
                for (byte[] line : m.getValue()) {
                    b.add(line, holder);
                }
            }
            String writer = writerOf(byMessage.keySet());
            String key = kind == FileBatch.Kind.EVENTS ? DfsLayout.incomingKey(date.getKey(), writer, 1)
                    : DfsLayout.recordsKey(date.getKey(), writer, 1);
            b.seal(key, 1);
            try {
                retry.call(() -> {
                    store.put(key, b.data);
                    return null;
                }, e -> log.warn("lambda: could not write '{}' (attempt {}); retrying in {} ms: {}", key, e.attempt(),
                        e.delay().toMillis(), e.failure().getMessage()));
                files++;
            } catch (Exception e) {
                log.error("lambda: could not write '{}' ({} lines): {}; its {} messages are returned for a retry",
                        key, b.lines(), e.getMessage(), byMessage.size());
                failed.addAll(byMessage.keySet());
            }
        }
        return files;
    }

    /** {@code lambda-<16 hex digits>}: a name that only these message ids give. */
    static String writerOf(Set<String> messageIds) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : new TreeSet<>(messageIds)) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return "lambda-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
