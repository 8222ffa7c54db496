package dev.eventpipe.ingest;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-polling consumer: pollers receive messages, decode and validate them, send invalid ones to
 * the dead-letter queue, and append valid events to a batch per event date; a batch is written as one
 * gzip NDJSON file and only then are the messages whose events are all durable deleted.
 *
 * <p>Nothing is deleted before it is durable, so a crash at any point loses nothing: what was not
 * deleted is delivered again, and the loader drops the resulting duplicate ids.
 */
public final class Consumer {

    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    private static final int GIVE_UP_ATTEMPTS_WHEN_STOPPING = 3;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final EventBus bus;
    private final ObjectStore store;
    private final EventCodec codec;
    private final Function<String, DecodedBody> decoder;
    private final ConsumerOptions o;
    private final Clock clock;
    private final Batcher batcher;
    private final ConsumerStats stats = new ConsumerStats();
    private final ConcurrentLinkedQueue<HeldMessage> ready = new ConcurrentLinkedQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicIntegerArray lastReceiveEmpty;
    private final AtomicBoolean queueTrouble = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile boolean closed;
    private volatile RuntimeException fatal;
    private volatile long startNanos;
    private volatile long lastWriteNanos;
    private volatile long lastDeleteNanos;
    private int emptyChecks;
    private long nextStatsNanos;
    private long nextPublishNanos;
    private long publishedCount = -1;

    public Consumer(EventBus bus, ObjectStore store, EventCodec codec, ConsumerOptions options, Clock clock) {
        this(bus, store, codec, codec::decode, options, clock);
    }

    /** With another decoder: for tests of what happens when decoding throws. */
    Consumer(EventBus bus, ObjectStore store, EventCodec codec, Function<String, DecodedBody> decoder,
             ConsumerOptions options, Clock clock) {
        this.decoder = decoder;
        this.bus = bus;
        this.store = store;
        this.codec = codec;
        this.o = options;
        this.clock = clock;
        this.batcher = new Batcher(options.batchMaxEvents(), options.batchMaxBytes(), options.batchMaxAge(), options.gzipLevel());
        this.lastReceiveEmpty = new AtomicIntegerArray(options.pollers());
    }

    /**
     * This run's writer id, unique across hosts and restarts: {@code prefix} (the host name when empty),
     * process id and start time. A run never reuses an earlier run's id: its files are numbered from 1,
     * and a reused name would overwrite an unloaded file or be taken for a loaded one.
     */
    public static String writerId(String prefix) {
        String name = prefix;
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                name = "host";
            }
            name = name.replaceAll("[^A-Za-z0-9.-]", "").toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                name = "host";
            }
            if (name.length() > 32) {
                name = name.substring(0, 32);
            }
        }
        long pid = ManagementFactory.getRuntimeMXBean().getPid();
        long started = LAST_START.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        return name + "-" + pid + "-" + Long.toString(started, 36);
    }

    /** Start times handed out in this process, kept distinct for consumers started in the same millisecond. */
    private static final AtomicLong LAST_START = new AtomicLong();

    /** Asks the run to stop: pollers stop, every batch is written, its messages deleted, and {@link #run()} returns. */
    public void stop() {
        running = false;
        stopped.countDown();
    }

    /**
     * Keeps consuming until the queue is empty (nothing visible, nothing in flight beyond what this
     * consumer holds), then stops as {@link #stop()} does; stops anyway after {@code atMost}.
     */
    public void drainThenStop(Duration atMost) {
        draining = true;
        Thread timer = new Thread(() -> {
            if (!awaitStop(atMost)) {
                log.info("consume: the queue was not empty after {} s of draining: stopping anyway", atMost.toSeconds());
                stop();
            }
        }, "consume-drain-timer");
        timer.setDaemon(true);
        timer.start();
    }

    private boolean awaitStop(Duration d) {
        try {
            return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The counts so far; its time runs from the start to the last acknowledgement (or to now, before any). */
    public ConsumerSummary summary() {
        long end = Math.max(lastWriteNanos, lastDeleteNanos);
        if (end == 0) {
            end = System.nanoTime();
        }
        return stats.summary(o.writerId(), clock.instant().toString(), startNanos == 0 ? 0 : (end - startNanos) / 1e9,
                batcher.peakBuffered());
    }

    /**
     * Consumes until stopped, the duration ends, or (with {@code untilEmpty}) the queue is drained,
     * and returns what it did. A failure that stopped it early is then in {@link #failure()}.
     */
    public ConsumerSummary run() throws InterruptedException {
        startNanos = System.nanoTime();
        nextStatsNanos = startNanos + o.statsInterval().toNanos();
        log.info("consume: {} pollers into '{}' as writer '{}'; a file per date at {} events, {} bytes or {} s",
                o.pollers(), store.location(), o.writerId(), o.batchMaxEvents(), o.batchMaxBytes(), o.batchMaxAge().toSeconds());
        ExecutorService pollers = Executors.newFixedThreadPool(o.pollers(), daemon("consume-poller"));
        for (int i = 0; i < o.pollers(); i++) {
            int index = i;
            pollers.submit(() -> pollLoop(index));
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("consume-ticker"));
        ticker.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
        try {
            if (o.duration() == null) {
                stopped.await();
            } else if (!stopped.await(o.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("consume: {} s passed: stopping", o.duration().toSeconds());
            }
        } finally {
            running = false;
            pollers.shutdown();
            // Pollers in a long poll return within the wait; past a few seconds we go on without them:
            // what they still receive is not processed and comes back after the visibility timeout.
            if (!pollers.awaitTermination(Math.min(o.receiveWait().toSeconds() + 2, 5), TimeUnit.SECONDS)) {
                log.debug("consume: pollers still in a long poll; not waiting for them");
            }
            ticker.shutdown();
            ticker.awaitTermination(5, TimeUnit.MINUTES);
            closed = true;
            for (PartitionBatch b : batcher.takeAll()) {
                commit(b, "stop");
            }
            drainDeletes(Integer.MAX_VALUE);
            publishStats(true);
        }
        return summary();
    }

    /**
     * Writes this consumer's counts to the file store for {@code eventpipe status}: every few seconds
     * while they change, and at the end. A failure only costs freshness of the counts.
     */
    private void publishStats(boolean force) {
        long changes = stats.receivedMessages.sum() + stats.writtenEvents.sum() + stats.deleted.sum();
        if (!force && changes == publishedCount) {
            return;
        }
        try {
            store.put(DfsLayout.consumerStatsKey(o.writerId()), STATS_JSON.writeValueAsBytes(summary()));
            publishedCount = changes;
        } catch (RuntimeException | java.io.IOException e) {
            log.warn("consume: could not publish the counts to '{}': {}", DfsLayout.consumerStatsKey(o.writerId()), e.getMessage());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper STATS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** What stopped the run early: a queue that cannot be used at all, or a write given up at stop. */
    public java.util.Optional<RuntimeException> failure() {
        return java.util.Optional.ofNullable(fatal);
    }

    private void pollLoop(int index) {
        int empty = 0;
        Duration backoff = Duration.ofSeconds(1);
        try {
            while (running) {
                drainDeletes(5);
                if (!waitForRoom()) {
                    return;
                }
                List<QueueMessage> got;
                try {
                    got = bus.receive(EventBus.MAX_BATCH, o.receiveWait());
                    if (queueTrouble.compareAndSet(true, false)) {
                        log.info("consume: the queue answers again; resuming");
                    }
                    backoff = Duration.ofSeconds(1);
                } catch (BusException e) {
                    if (!running) {
                        return;
                    }
                    if (!e.retriable()) {
                        fail(e);
                        return;
                    }
                    if (queueTrouble.compareAndSet(false, true)) {
                        log.warn("consume: the queue does not answer ({}); retrying with backoff up to {} s",
                                e.getMessage(), MAX_BACKOFF.toSeconds());
                    }
                    log.debug("consume: poller {} retries in {} ms", index, backoff.toMillis());
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    continue;
                }
                if (got.isEmpty()) {
                    lastReceiveEmpty.set(index, 1);
                    if (o.emptyPollsBeforeFlush() > 0 && ++empty >= o.emptyPollsBeforeFlush()) {
                        empty = 0;
                        for (PartitionBatch b : batcher.takeAll()) {
                            commit(b, "idle");
                        }
                    }
                    continue;
                }
                lastReceiveEmpty.set(index, 0);
                empty = 0;
                for (QueueMessage m : got) {
                    handle(m);
                }
            }
        } catch (RuntimeException e) {
            if (!running) {
                // The run is over and the client may be closed under a poller that was still in a long poll.
                log.debug("consume: poller {} ended after the stop: {}", index, e.toString());
                return;
            }
            log.error("consume: poller {} failed", index, e);
            fail(e);
        }
    }

    private void handle(QueueMessage m) {
        if (closed) {
            return;
        }
        stats.receivedMessages.increment();
        try {
            process(m);
        } catch (RuntimeException e) {
            // Left undeleted: after [aws] sqs_max_receive_count deliveries the queue dead-letters it.
            // Events of it already batched are written; the duplicates that redelivery makes are dropped on load.
            log.error("consume: processing message '{}' (delivery {}) failed; leaving it to the queue's redrive policy",
                    m.messageId(), m.receiveCount(), e);
            stats.kept.increment();
        }
    }

    private void process(QueueMessage m) {
        DecodedBody d = decoder.apply(m.body());
        boolean keep = false;
        for (Rejection r : d.rejections()) {
            try {
                bus.deadLetter(r);
                stats.rejected(r.reason());
            } catch (BusException e) {
                keep = true;
                log.warn("consume: could not dead-letter a rejected event of message '{}' ({}); the message stays on the queue: {}",
                        m.messageId(), r, e.getMessage());
            }
        }
        List<Event> events = d.events();
        List<byte[]> lines = new ArrayList<>(events.size());
        for (Event e : events) {
            lines.add(codec.toFileLine(e).getBytes(StandardCharsets.UTF_8));
        }
        HeldMessage held = new HeldMessage(m, events.size(), keep);
        if (keep) {
            stats.kept.increment();
        }
        if (events.isEmpty()) {
            if (held.deletable()) {
                ready.add(held);
            }
            return;
        }
        stats.validEvents.add(events.size());
        for (int i = 0; i < events.size(); i++) {
            PartitionBatch full = batcher.add(events.get(i).date(), lines.get(i), held, clock.instant());
            if (full != null) {
                commit(full, "full");
            }
        }
    }

    /** Backpressure: while too much is buffered, write the largest batch here or wait for a write. */
    private boolean waitForRoom() {
        while (running && batcher.buffered() >= o.maxBufferedBytes()) {
            PartitionBatch largest = batcher.takeLargest();
            if (largest != null) {
                commit(largest, "buffer full");
            } else {
                try {
                    batcher.awaitRelease(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return running;
    }

    /**
     * Writes a closed batch, retrying with backoff while the store fails; then marks its events durable
     * and queues the messages that are now complete for deletion. Returns whether it was written.
     */
    private boolean commit(PartitionBatch b, String why) {
        byte[] data = b.finish();
        long n = seq.incrementAndGet();
        String key = DfsLayout.incomingKey(b.date, o.writerId(), n);
        Duration backoff = Duration.ofSeconds(1);
        long lastExtend = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                store.put(key, data);
                break;
            } catch (StoreException e) {
                if (!running && attempt >= GIVE_UP_ATTEMPTS_WHEN_STOPPING) {
                    log.error("consume: giving up on '{}' ({} events): {}; its messages were not deleted and will be delivered again",
                            key, b.events(), e.getMessage());
                    batcher.released(b);
                    // Not marked finished: a failed PUT may still have landed, so this writer's counts stop
                    // here and status counts this file (if it exists) and every later one from the store.
                    fail(e);
                    return false;
                }
                log.warn("consume: could not write '{}' ({} events), attempt {}; retrying in {} s: {}",
                        key, b.events(), attempt, backoff.toSeconds(), e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                // Keep the batch's messages hidden while we retry, so no other consumer takes them meanwhile.
                if (System.nanoTime() - lastExtend > o.visibilityTimeout().toNanos() / 2) {
                    extendVisibility(b);
                    lastExtend = System.nanoTime();
                }
            }
        }
        batcher.released(b);
        lastWriteNanos = System.nanoTime();
        stats.files.increment();
        stats.fileBytes.add(data.length);
        stats.writtenEvents.add(b.events());
        stats.fileFinished(n, b.events());
        log.info("consume: wrote '{}' ({} events, {} bytes, {})", key, b.events(), data.length, why);
        for (Map.Entry<HeldMessage, Integer> h : b.holders().entrySet()) {
            if (h.getKey().written(h.getValue())) {
                ready.add(h.getKey());
            }
        }
        return true;
    }

    private void extendVisibility(PartitionBatch b) {
        List<QueueMessage> receipts = new ArrayList<>(b.holders().size());
        b.holders().keySet().forEach(h -> receipts.add(h.receipt));
        try {
            bus.extendVisibility(receipts, o.visibilityTimeout());
            log.info("consume: kept {} messages hidden for another {} s while the write is retried",
                    receipts.size(), o.visibilityTimeout().toSeconds());
        } catch (BusException e) {
            log.warn("consume: could not extend the visibility of {} messages: {}", receipts.size(), e.getMessage());
        }
    }

    /** Deletes up to {@code maxCalls} batches of ready messages. */
    private void drainDeletes(int maxCalls) {
        for (int call = 0; call < maxCalls; call++) {
            List<HeldMessage> chunk = new ArrayList<>(EventBus.MAX_BATCH);
            HeldMessage h;
            while (chunk.size() < EventBus.MAX_BATCH && (h = ready.poll()) != null) {
                chunk.add(h);
            }
            if (chunk.isEmpty()) {
                return;
            }
            List<QueueMessage> receipts = new ArrayList<>(chunk.size());
            chunk.forEach(m -> receipts.add(m.receipt));
            try {
                List<QueueMessage> notDeleted = bus.delete(receipts);
                lastDeleteNanos = System.nanoTime();
                stats.deleted.add(receipts.size() - notDeleted.size());
                stats.kept.add(notDeleted.size());
            } catch (BusException e) {
                if (!running && closed) {
                    log.warn("consume: could not delete {} messages at stop: {}; they will be delivered again",
                            receipts.size(), e.getMessage());
                    stats.kept.add(receipts.size());
                    continue;
                }
                // Try again later: they are durable, only their acknowledgement is pending.
                ready.addAll(chunk);
                log.debug("consume: delete failed, will retry: {}", e.getMessage());
                return;
            }
        }
    }

    private void tick() {
        try {
            for (PartitionBatch b : batcher.takeDue(clock.instant())) {
                commit(b, "age");
            }
            drainDeletes(Integer.MAX_VALUE);
            long now = System.nanoTime();
            if (now >= nextPublishNanos) {
                nextPublishNanos = now + 5_000_000_000L;
                publishStats(false);
            }
            if (now >= nextStatsNanos) {
                nextStatsNanos = now + o.statsInterval().toNanos();
                logProgress(now);
            }
            if ((o.untilEmpty() || draining) && running) {
                checkDrained();
            }
        } catch (RuntimeException e) {
            log.error("consume: periodic flush failed", e);
        }
    }

    private void checkDrained() {
        // When draining on request, pollers may sit in a long poll for a while; the counts decide.
        for (int i = 0; i < lastReceiveEmpty.length() && !draining; i++) {
            if (lastReceiveEmpty.get(i) == 0) {
                emptyChecks = 0;
                return;
            }
        }
        try {
            if (bus.depth().visible() > 0) {
                emptyChecks = 0;
                return;
            }
            // Nothing to receive: write what we hold now, so our messages are deleted and any other
            // consumer draining the same queue sees it empty too instead of waiting for our batch age.
            for (PartitionBatch b : batcher.takeAll()) {
                commit(b, "queue empty");
            }
            drainDeletes(Integer.MAX_VALUE);
            QueueDepth depth = bus.depth();
            // In flight beyond what we hold: another consumer's, or a dead one's that will come back.
            long ours = stats.receivedMessages.sum() - stats.deleted.sum();
            emptyChecks = depth.visible() == 0 && depth.inFlight() <= ours ? emptyChecks + 1 : 0;
        } catch (BusException e) {
            emptyChecks = 0;
            return;
        }
        if (emptyChecks >= 2) {
            log.info("consume: the queue is empty: stopping");
            stop();
        }
    }

    private void logProgress(long now) {
        double s = (now - startNanos) / 1e9;
        log.info("consume: {} messages received ({} events/s), {} valid, {} rejected, {} files, {} deleted, {} events held",
                stats.receivedMessages.sum(), Math.round(stats.validEvents.sum() / s), stats.validEvents.sum(),
                stats.rejectedTotal(), stats.files.sum(), stats.deleted.sum(), batcher.heldEvents());
    }

    private void fail(RuntimeException e) {
        if (fatal == null) {
            fatal = e;
        }
        stop();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
