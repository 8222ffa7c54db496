package dev.eventpipe.serve;

import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.serve.Answers.DeadLetters;
import dev.eventpipe.status.DeadLetterTally;
import dev.eventpipe.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters by reason, as {@code status} counts them: the consumers' records in the file store
 * (each rejection once), and the dead-letter queue's depth. Reading every record file is too much
 * for each refresh of each open page, so the answer is kept for {@link #MAX_AGE}. The queue is only
 * asked its depth: peeking at the messages would hide them from {@code dlq replay} meanwhile.
 */
public final class DeadLetterStatus {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterStatus.class);
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final ObjectStore store;
    private final Supplier<EventBus> bus;
    private final String queueName;
    private final Clock clock;
    private DeadLetters last;
    private Instant lastAt;

    /**
     * @param store     where the consumers write their dead-letter records
     * @param bus       opens the queue; it may throw when no queue can be reached (the answer then says so)
     * @param queueName the dead-letter queue's name, as the page shows it
     */
    public DeadLetterStatus(ObjectStore store, Supplier<EventBus> bus, String queueName, Clock clock) {
        this.store = store;
        this.bus = bus;
        this.queueName = queueName;
        this.clock = clock;
    }

    /** The latest reading, at most {@link #MAX_AGE} old. */
    synchronized DeadLetters read() {
        Instant now = clock.instant();
        if (last == null || Duration.between(lastAt, now).compareTo(MAX_AGE) >= 0) {
            last = readNow(now);
            lastAt = now;
        }
        return last;
    }

    private DeadLetters readNow(Instant now) {
        Map<String, Long> byReason = Map.of();
        Map<String, String> samples = Map.of();
        long rejected = 0;
        long replayed = 0;
        String recordsError = null;
        try {
            DeadLetterTally tally = DeadLetterTally.read(store);
            byReason = tally.rejectedByReason();
            samples = tally.samples();
            rejected = tally.rejected();
            replayed = tally.replayed();
        } catch (RuntimeException e) {
            recordsError = "cannot read the dead-letter records in " + store.location() + ": " + describe(e);
            log.warn("serve: {}", recordsError);
        }
        Long visible = null;
        Long inFlight = null;
        String queueError = null;
        try (EventBus b = bus.get()) {
            QueueDepth d = b.depth();
            visible = d.deadLetterVisible();
            inFlight = d.deadLetterInFlight();
        } catch (RuntimeException e) {
            queueError = describe(e);
        }
        return new DeadLetters(byReason, rejected, replayed, samples, recordsError, queueName, visible, inFlight, queueError,
                now.toString());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String line = m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        // The AWS SDK lists every credential provider it tried: the page needs the first words.
        return line.length() > 240 ? line.substring(0, 240) + "..." : line;
    }
}
