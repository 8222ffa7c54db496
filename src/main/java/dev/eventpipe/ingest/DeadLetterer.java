package dev.eventpipe.ingest;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one message's rejected events on the dead-letter queue, in batches, keeping the message hidden
 * while that takes long (a message of 50,000 rejected elements must not reappear and be rejected
 * again meanwhile). A rejected body too large for a message goes to the file store, and the dead
 * letter points to it (the pattern of SQS's extended client).
 */
final class DeadLetterer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterer.class);
    /** Letters per bus call; the bus splits them into SendMessageBatch calls of 10. */
    private static final int GROUP = 100;

    private final EventBus bus;
    private final ObjectStore store;
    private final Clock clock;
    private final Duration visibilityTimeout;
    private final ConsumerStats stats;

    DeadLetterer(EventBus bus, ObjectStore store, Clock clock, Duration visibilityTimeout, ConsumerStats stats) {
        this.bus = bus;
        this.store = store;
        this.clock = clock;
        this.visibilityTimeout = visibilityTimeout;
        this.stats = stats;
    }

    /**
     * Whether every letter is on the dead-letter queue, and since when the message has been hidden
     * (its receipt, or its last extension).
     */
    record Outcome(boolean allSent, Instant hiddenSince) {
    }

    /**
     * Sends the rejections of {@code m}; {@code sources} names each one (message id and index) for the
     * dead-letter queue's attributes.
     */
    Outcome send(QueueMessage m, List<Rejection> rejections, List<String[]> sources, Instant receivedAt) {
        Instant hiddenSince = receivedAt;
        if (rejections.isEmpty()) {
            return new Outcome(true, hiddenSince);
        }
        List<DeadLetter> letters = new ArrayList<>(rejections.size());
        for (int i = 0; i < rejections.size(); i++) {
            Rejection r = rejections.get(i);
            DeadLetter letter = DeadLetter.of(r, sources.get(i)[0], sources.get(i)[1]);
            if (!letter.fits()) {
                try {
                    letter = offload(r, letter);
                } catch (StoreException e) {
                    log.warn("consume: could not keep a {}-byte rejected body of message '{}' in the file store: {}; the message"
                            + " stays on the queue", r.raw().length(), m.messageId(), e.getMessage());
                    return new Outcome(false, hiddenSince);
                }
            }
            letters.add(letter);
        }
        try {
            for (int from = 0; from < letters.size(); from += GROUP) {
                List<DeadLetter> refused = bus.deadLetter(letters.subList(from, Math.min(letters.size(), from + GROUP)));
                if (!refused.isEmpty()) {
                    log.warn("consume: the dead-letter queue refused {} rejected events of message '{}'; the message stays on the queue",
                            refused.size(), m.messageId());
                    return new Outcome(false, hiddenSince);
                }
                Instant now = clock.instant();
                if (from + GROUP < letters.size() && Duration.between(hiddenSince, now).compareTo(visibilityTimeout.dividedBy(3)) > 0) {
                    bus.extendVisibility(List.of(m), visibilityTimeout);
                    hiddenSince = now;
                }
            }
        } catch (BusException e) {
            log.warn("consume: could not dead-letter the rejected events of message '{}' ({}); the message stays on the queue",
                    m.messageId(), e.getMessage());
            return new Outcome(false, hiddenSince);
        }
        return new Outcome(true, hiddenSince);
    }

    private DeadLetter offload(Rejection r, DeadLetter letter) {
        byte[] raw = DeadLetter.rawBytes(r);
        String key = DfsLayout.deadLetterBodyKey(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                letter.sourceMessageId(), letter.sourceIndex());
        store.put(key, raw);
        stats.offloaded.increment();
        return letter.offloaded(key, store.s3Url(key).orElse(store.location() + "/" + key), raw.length);
    }
}
