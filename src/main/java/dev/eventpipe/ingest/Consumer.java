package dev.eventpipe.ingest;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-polling consumer, built from three kinds of worker: {@link Poller}s receive, decode and
 * dead-letter; one {@link Writer} owns every batch and has them written; the {@link Acker} deletes
 * exactly the messages whose lines are all durable. Nothing is deleted before it is durable, so a
 * crash at any point loses nothing: what was not deleted is delivered again, and the loader drops the
 * resulting duplicate ids.
 *
 * <p>Its life is {@link State}: running, stopping (no more receives; everything held is written and
 * acknowledged), stopped. Any failure of a worker that cannot pass by retrying, an {@link Error}
 * included, stops the run loudly and shows in {@link #failure()}: never a quiet stall.
 */
public final class Consumer {

    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    private static final long TICK_NANOS = 250_000_000L;
    private static final long UNTIL_EMPTY_RECHECK_NANOS = 50_000_000L;

    /** The consumer's life. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final EventBus bus;
    private final ObjectStore store;
    private final ConsumerOptions o;
    private final Clock clock;
    private final ConsumerStats stats = new ConsumerStats();
    private final Budget budget;
    private final Acker acker;
    private final Writer writer;
    private final List<Poller> pollers = new ArrayList<>();
    private final ExecutorService uploads;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean draining;
    private volatile long startNanos;
    private volatile Thread ticker;
    private int emptyChecks;
    private long nextStatsNanos;
    private long nextPublishNanos;
    private long nextDrainCheckNanos;
    private long publishedChanges = -1;

    public Consumer(EventBus bus, ObjectStore store, EventCodec codec, ConsumerOptions options, Clock clock) {
        this(bus, store, codec, codec::decode, options, clock);
    }

    /** With another decoder: for tests of what happens when decoding throws. */
    Consumer(EventBus bus, ObjectStore store, EventCodec codec, Function<String, DecodedBody> decoder,
             ConsumerOptions options, Clock clock) {
        this.bus = bus;
        this.store = store;
        this.o = options;
        this.clock = clock;
        this.budget = new Budget(options.maxBufferedBytes(), options.maxInflightMessages());
        this.acker = new Acker(bus, stats, options.retry(), this::fail, budget);
        int maxUploads = Math.max(2, Math.min(8, options.pollers()));
        this.uploads = Executors.newFixedThreadPool(maxUploads, daemon("consume-upload"));
        this.writer = new Writer(store, new Writer.Options(options.writerId(), options.batchMaxEvents(), options.batchMaxBytes(),
                options.batchMaxAge(), options.maxOpenBatches(), options.gzipLevel(), options.visibilityTimeout(), maxUploads),
                clock, acker, stats, budget, uploads, options.retry(), this::fail);
        DeadLetterer deadLetterer = new DeadLetterer(bus, store, clock, options.visibilityTimeout(), stats);
        Poller.Shared shared = new Poller.Shared(stopRequested, this::emptyReceive);
        for (int i = 0; i < options.pollers(); i++) {
            pollers.add(new Poller(i + 1, bus, codec, decoder, deadLetterer, writer, budget, stats, clock, options,
                    this::receiving, shared));
        }
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

    public State state() {
        return state.get();
    }

    private boolean receiving() {
        return state.get() == State.RUNNING;
    }

    /** Asks the run to stop: pollers stop, every batch is written, its messages deleted, and {@link #run()} returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /**
     * Keeps consuming until the queue is empty (nothing visible, nothing in flight beyond what this
     * consumer holds), then stops as {@link #stop()} does; stops anyway after {@code atMost}.
     */
    public void drainThenStop(Duration atMost) {
        draining = true;
        Thread timer = new Thread(() -> {
            try {
                if (!stopRequested.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("consume: the queue was not empty after {} s of draining: stopping anyway; what is left stays on"
                            + " the queue for the next run or consume", atMost.toSeconds());
                    stop();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consume-drain-timer");
        timer.setDaemon(true);
        timer.start();
    }

    /** The counts so far; its time runs from the start to the last acknowledgement (or to now, before any). */
    public ConsumerSummary summary() {
        long end = Math.max(writer.lastWriteNanos(), acker.lastDeleteNanos());
        if (end == 0) {
            end = System.nanoTime();
        }
        return stats.summary(o.writerId(), clock.instant().toString(), startNanos == 0 ? 0 : (end - startNanos) / 1e9, budget.peak());
    }

    /** What stopped the run early or left events unwritten: a queue or store that cannot be used, an error in a worker. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(fatal.get());
    }

    /**
     * Consumes until stopped, the duration ends, or (with {@code untilEmpty}) the queue is drained, and
     * returns what it did. A failure is then in {@link #failure()}.
     */
    public ConsumerSummary run() throws InterruptedException {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("a consumer runs once");
        }
        startNanos = System.nanoTime();
        nextStatsNanos = startNanos + o.statsInterval().toNanos();
        log.info("consume: {} pollers into '{}' as writer '{}'; a file per date at {} events, {} bytes or {} s; at most {} open batches",
                o.pollers(), store.location(), o.writerId(), o.batchMaxEvents(), o.batchMaxBytes(), o.batchMaxAge().toSeconds(),
                o.maxOpenBatches());
        // A deleter per poller, as a receive+delete loop has: deletes keep pace with receives.
        acker.start(Math.max(1, o.pollers()));
        Thread writerThread = worker(writer, "consume-writer");
        ticker = worker(this::tickLoop, "consume-ticker");
        List<Thread> pollerThreads = new ArrayList<>();
        for (Poller p : pollers) {
            pollerThreads.add(worker(p, "consume-poller-" + (pollerThreads.size() + 1)));
        }
        try {
            if (o.duration() == null) {
                stopRequested.await();
            } else if (!stopRequested.await(o.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("consume: {} s passed: stopping", o.duration().toSeconds());
            }
        } finally {
            state.set(State.STOPPING);
            // Pollers in a long poll return within the wait; past a few seconds we go on without them:
            // what they still receive is not processed and comes back after the visibility timeout.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(o.receiveWait().toSeconds() + 2, 5));
            for (Thread t : pollerThreads) {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
            writer.stop();
            writerThread.join();
            acker.close(Duration.ofSeconds(30));
            ticker.interrupt();
            ticker.join(5_000);
            uploads.shutdownNow();
            publishStats(true);
            reportUnwritten();
            state.set(State.STOPPED);
        }
        return summary();
    }

    private Thread worker(Runnable r, String name) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                fail(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A failure that cannot pass by retrying: said loudly, once, and the run stops. */
    private void fail(Throwable e) {
        if (fatal.compareAndSet(null, e)) {
            if (e instanceof dev.eventpipe.retry.Retriable) {
                log.error("consume: stopping: {}", e.getMessage());
            } else {
                // An Error or a bug: the whole trace, so nobody has to guess.
                log.error("consume: stopping after an unexpected failure", e);
            }
        }
        stop();
    }

    private void reportUnwritten() {
        List<FileBatch> lost = writer.givenUp();
        if (!lost.isEmpty() && fatal.get() == null) {
            Throwable cause = lost.get(lost.size() - 1).lastFailure;
            fatal.compareAndSet(null, new Writer.WriteFailedException(writer.unwrittenLines() + " lines in " + lost.size()
                    + " files could not be written to " + store.location() + " (" + (cause == null ? "unknown" : cause.getMessage())
                    + "); their messages were not deleted and will be delivered again", cause));
        }
    }

    /** Ticks every 250 ms, and when a poller's receive found the queue empty during a drain. */
    private void tickLoop() {
        while (state.get() != State.STOPPED) {
            LockSupport.parkNanos(this, TICK_NANOS);
            if (Thread.interrupted()) {
                return;
            }
            tick();
        }
    }

    private void emptyReceive() {
        Thread t = ticker;
        if (t != null && (o.untilEmpty() || draining)) {
            LockSupport.unpark(t);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        if (now >= nextPublishNanos) {
            nextPublishNanos = now + 5_000_000_000L;
            publishStats(false);
        }
        if (now >= nextStatsNanos) {
            nextStatsNanos = now + o.statsInterval().toNanos();
            logProgress(now);
        }
        if ((o.untilEmpty() || draining) && receiving() && now >= nextDrainCheckNanos) {
            // consume --until-empty checks as soon as every poller found the queue empty (a poller's empty receive
            // wakes the ticker), and again 50 ms later: its end came 0.5-0.6 s after the last message when the checks
            // waited for 250 ms ticks. A drain on request, whose pollers may sit in long polls, checks on the ticks.
            nextDrainCheckNanos = now + (o.untilEmpty() ? UNTIL_EMPTY_RECHECK_NANOS : 200_000_000L);
            checkDrained();
        }
    }

    private void checkDrained() {
        // When draining on request, pollers may sit in a long poll for a while; the counts decide.
        if (!draining) {
            for (Poller p : pollers) {
                if (!p.lastReceiveEmpty()) {
                    emptyChecks = 0;
                    return;
                }
            }
        }
        // Ours counted before the queue is asked: deletes under way during the call only lower its in-flight count,
        // whereas ours counted after it could drop below it and end the drain only once our last file was deleted.
        long ours = stats.receivedMessages.sum() - stats.deleted.sum();
        try {
            QueueDepth depth = bus.depth();
            if (depth.visible() > 0) {
                emptyChecks = 0;
                return;
            }
            // Nothing to receive: write what we hold now, so our messages are deleted and any other
            // consumer draining the same queue sees it empty too instead of waiting for our batch age.
            writer.flushAll("the queue is empty");
            // In flight beyond what we hold: another consumer's, or a dead one's that will come back.
            emptyChecks = depth.inFlight() <= ours ? emptyChecks + 1 : 0;
        } catch (BusException e) {
            emptyChecks = 0;
            return;
        }
        if (emptyChecks >= 2) {
            log.info("consume: the queue is empty: stopping");
            stop();
        }
    }

    /**
     * Writes this consumer's counts to the file store for {@code eventpipe status}: every few seconds
     * while they change, and at the end. A failure only costs freshness of the counts.
     */
    private void publishStats(boolean force) {
        long changes = stats.receivedMessages.sum() + stats.writtenEvents.sum() + stats.deleted.sum();
        if (!force && changes == publishedChanges) {
            return;
        }
        try {
            store.put(DfsLayout.consumerStatsKey(o.writerId()), summary().toJson());
            publishedChanges = changes;
        } catch (RuntimeException | IOException e) {
            log.warn("consume: could not publish the counts to '{}': {}", DfsLayout.consumerStatsKey(o.writerId()), e.getMessage());
        }
    }

    private void logProgress(long now) {
        double s = (now - startNanos) / 1e9;
        long receives = stats.receives.sum();
        log.info("consume: {} messages received in {} receives ({} a receive, {} events/s), {} valid, {} rejected, {} files, {} deleted, {} events held, {} MB held",
                stats.receivedMessages.sum(), receives,
                receives == 0 ? "0" : String.format("%.1f", stats.receivedMessages.sum() / (double) receives),
                Math.round(stats.validEvents.sum() / s), stats.validEvents.sum(),
                stats.rejectedTotal(), stats.files.sum(), stats.deleted.sum(), writer.heldEvents(), budget.used() >> 20);
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
