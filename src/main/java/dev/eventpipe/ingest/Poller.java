package dev.eventpipe.ingest;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.EventCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polling thread: receives up to ten messages at a time, decodes and validates each, dead-letters
 * its invalid parts, and hands the rest to the {@link Writer}. It waits for room in the {@link Budget}
 * before each receive, so memory stays bounded however fast the queue delivers; it never writes files
 * and never deletes messages.
 */
final class Poller implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    /** With no long-poll wait, the pause after a receive found the queue empty: a poller does not spin on an empty queue. */
    static final long EMPTY_PAUSE_MILLIS = 100;

    /**
     * What pollers share: the queue's health (said once when it fails, once when it answers again), the run's
     * stop (which ends a pause after an empty receive at once, not 100 ms later) and whom to tell of an empty
     * receive (a drain checks the queue as soon as every poller has found it empty, not on its next tick).
     */
    static final class Shared {
        final AtomicBoolean queueTrouble = new AtomicBoolean();
        final CountDownLatch stopped;
        final Runnable onEmptyReceive;

        Shared(CountDownLatch stopped, Runnable onEmptyReceive) {
            this.stopped = stopped;
            this.onEmptyReceive = onEmptyReceive;
        }
    }

    private final int index;
    private final EventBus bus;
    private final Intake intake;
    private final Function<String, DecodedBody> decoder;
    private final DeadLetterer deadLetterer;
    private final Writer writer;
    private final Budget budget;
    private final ConsumerStats stats;
    private final Clock clock;
    private final ConsumerOptions o;
    private final BooleanSupplier receiving;
    private final Shared shared;
    private volatile boolean lastReceiveEmpty;

    Poller(int index, EventBus bus, EventCodec codec, Function<String, DecodedBody> decoder, DeadLetterer deadLetterer,
           Writer writer, Budget budget, ConsumerStats stats, Clock clock, ConsumerOptions options, BooleanSupplier receiving,
           Shared shared) {
        this.index = index;
        this.bus = bus;
        this.intake = new Intake(codec);
        this.decoder = decoder;
        this.deadLetterer = deadLetterer;
        this.writer = writer;
        this.budget = budget;
        this.stats = stats;
        this.clock = clock;
        this.o = options;
        this.receiving = receiving;
        this.shared = shared;
    }

    /** Whether this poller's last receive found the queue empty. */
    boolean lastReceiveEmpty() {
        return lastReceiveEmpty;
    }

    @Override
    public void run() {
        int empty = 0;
        int failures = 0;
        try {
            while (receiving.getAsBoolean()) {
                if (!budget.awaitRoom(receiving)) {
                    return;
                }
                List<QueueMessage> got;
                try {
                    got = bus.receive(EventBus.MAX_BATCH, o.receiveWait());
                    stats.receives.increment();
                    if (shared.queueTrouble.compareAndSet(true, false)) {
                        log.info("consume: the queue answers again; resuming");
                    }
                    failures = 0;
                } catch (BusException e) {
                    if (!receiving.getAsBoolean()) {
                        return;
                    }
                    if (!e.retriable()) {
                        throw e;
                    }
                    Duration d = o.retry().delay(++failures);
                    if (shared.queueTrouble.compareAndSet(false, true)) {
                        log.warn("consume: the queue does not answer ({}); retrying with backoff up to {} s",
                                e.getMessage(), o.retry().max().toSeconds());
                    }
                    log.debug("consume: poller {} retries in {} ms", index, d.toMillis());
                    Thread.sleep(d.toMillis());
                    continue;
                }
                if (got.isEmpty()) {
                    lastReceiveEmpty = true;
                    shared.onEmptyReceive.run();
                    if (o.emptyPollsBeforeFlush() > 0 && ++empty >= o.emptyPollsBeforeFlush()) {
                        empty = 0;
                        writer.flushAll("the queue looked idle");
                    }
                    if (o.receiveWait().isZero()) {
                        shared.stopped.await(EMPTY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    continue;
                }
                lastReceiveEmpty = false;
                empty = 0;
                List<Writer.Received> handed = new ArrayList<>(got.size());
                long bytes = 0;
                for (QueueMessage m : got) {
                    Writer.Received r = handle(m);
                    if (r != null) {
                        handed.add(r);
                        bytes += r.bytes();
                    }
                }
                if (!handed.isEmpty()) {
                    // One reservation and one hand-over per receive: per message, the shared budget's lock and
                    // the writer's inbox were taken ten times as often for nothing.
                    budget.reserve(bytes, handed.size());
                    writer.submit(handed);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (receiving.getAsBoolean()) {
                throw e;
            }
            // The run is over and the client may be closed under a poller that was still in a long poll.
            log.debug("consume: poller {} ended after the stop: {}", index, e.toString());
        }
    }

    /** Decodes and validates {@code m}; what to hand to the writer, null when the message stays on the queue. */
    private Writer.Received handle(QueueMessage m) {
        Instant now = clock.instant();
        stats.receivedMessages.increment();
        DecodedBody d;
        try {
            d = decoder.apply(m.body());
        } catch (RuntimeException e) {
            // Left undeleted: after [aws] sqs_max_receive_count deliveries the queue dead-letters it.
            log.error("consume: decoding message '{}' (delivery {}) failed; leaving it to the queue's redrive policy",
                    m.messageId(), m.receiveCount(), e);
            stats.kept.increment();
            return null;
        }
        Intake.Parts p = intake.parts(m, d, now);
        DeadLetterer.Outcome dl = deadLetterer.send(m, p.rejections(), p.sources(), now);
        stats.received(now, p.events().size(), p.reasons());
        if (!dl.allSent()) {
            stats.kept.increment();
        }
        HeldMessage held = new HeldMessage(m, now, dl.hiddenSince().plus(o.visibilityTimeout()), p.lines(), !dl.allSent());
        return new Writer.Received(held, p.events(), p.records(), p.bytes());
    }
}
