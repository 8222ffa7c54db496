package dev.eventpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import dev.eventpipe.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's state machine, step by step with a controlled clock and uploads that run only when
 * the test says: what is deleted when, what is kept hidden, what is open, what a failing store does.
 */
class WriterTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration VISIBILITY = Duration.ofSeconds(120);

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingAcks acks = new RecordingAcks();
    private final ManualUploads uploads = new ManualUploads();
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private final ConsumerStats stats = new ConsumerStats();
    private FlakyStore store;
    private Budget budget;
    private Writer writer;
    private int messages;

    @BeforeEach
    void setUp() {
        store = new FlakyStore();
        writer(100, 64, 64L << 20);
    }

    private void writer(int maxEvents, int maxOpen, long maxBytes) {
        writer(maxEvents, maxOpen, maxBytes, 0);
    }

    private void writer(int maxEvents, int maxOpen, long maxBytes, int maxInflight) {
        budget = new Budget(maxBytes, maxInflight);
        writer = new Writer(store, new Writer.Options("w", maxEvents, 1L << 30, Duration.ofSeconds(60), maxOpen, 1, VISIBILITY, 4),
                clock, acks, stats, budget, uploads, RetryPolicy.standard(), fatal::add);
    }

    /** Hands over a message with one event on each of {@code dates}. */
    private QueueMessage send(LocalDate... dates) {
        QueueMessage m = new QueueMessage("m" + (++messages), null, "r" + messages, 1);
        List<Writer.Line> lines = new ArrayList<>();
        for (LocalDate d : dates) {
            lines.add(new Writer.Line(d, ("{\"id\":\"" + m.messageId() + "-" + lines.size() + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        budget.reserve(100);
        writer.submit(new Writer.Received(new HeldMessage(m, clock.instant(), clock.instant().plus(VISIBILITY), lines.size(), false),
                lines, List.of(), 100));
        return m;
    }

    private void step() throws InterruptedException {
        writer.processOnce(0);
    }

    /** Runs the uploads started so far, then lets the writer take their outcome. */
    private void upload() throws InterruptedException {
        uploads.runAll();
        step();
    }

    @Test
    void deletesAMessageOnlyAfterEveryFileHoldingItsEventsIsDurable() throws Exception {
        LocalDate d1 = LocalDate.parse("2026-11-24");
        LocalDate d2 = LocalDate.parse("2026-11-25");
        QueueMessage m = send(d1, d2);
        step();
        writer.flushAll("test");
        step();
        assertThat(uploads.started()).isEqualTo(2);
        assertThat(acks.deleted).isEmpty();
        uploads.runOne();
        step();
        assertThat(acks.deleted).as("one of its two files is durable").isEmpty();
        uploads.runOne();
        step();
        assertThat(acks.deleted).containsExactly(m.messageId());
        assertThat(store.puts).hasSize(2);
    }

    @Test
    void writesABatchWhenItIsFullOrOldEnoughByTheClock() throws Exception {
        LocalDate d = LocalDate.parse("2026-11-25");
        for (int i = 0; i < 100; i++) {
            send(d);
        }
        step();
        assertThat(uploads.started()).as("full at 100 events").isEqualTo(1);
        send(d);
        step();
        clock.advance(Duration.ofSeconds(59));
        step();
        assertThat(uploads.started()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        step();
        assertThat(uploads.started()).as("60 s after its first event").isEqualTo(2);
    }

    @Test
    void startsWritingAtHalfTheInFlightBoundSoPollersReceiveTheOtherHalfMeanwhile() throws Exception {
        writer(5_000, 64, 64L << 20, 1_000);
        LocalDate d = LocalDate.parse("2026-11-25");
        for (int i = 0; i < 499; i++) {
            send(d);
        }
        step();
        assertThat(uploads.started()).as("under half the bound").isZero();
        send(d);
        step();
        assertThat(uploads.started()).as("half the bound: written while the pollers go on").isEqualTo(1);
        assertThat(budget.over()).isFalse();
        for (int i = 0; i < 500; i++) {
            send(d);
        }
        step();
        assertThat(uploads.started()).as("one write at a time for the bound").isEqualTo(1);
        assertThat(budget.over()).as("the bound holds: pollers wait").isTrue();
        upload();
        assertThat(acks.deleted).hasSize(500);
        assertThat(uploads.started()).as("the second half is written next").isEqualTo(2);
    }

    @Test
    void keepsHeldMessagesHiddenBeforeTheirVisibilityTimeoutEnds() throws Exception {
        QueueMessage m = send(LocalDate.parse("2026-11-25"));
        step();
        clock.advance(Duration.ofSeconds(79));
        step();
        assertThat(acks.extended).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        step();
        assertThat(acks.extended).containsExactly(m.messageId());
        // Extended once per third of the timeout, not on every step.
        clock.advance(Duration.ofSeconds(30));
        step();
        assertThat(acks.extended).hasSize(1);
        clock.advance(Duration.ofSeconds(51));
        step();
        assertThat(acks.extended).hasSize(2);
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfBatchesOpenAndWritesTheOldestFirst() throws Exception {
        writer(100, 3, 64L << 20);
        LocalDate start = LocalDate.parse("2000-01-01");
        for (int i = 0; i < 10; i++) {
            send(start.plusDays(i));
            step();
            assertThat(writer.openBatches()).isLessThanOrEqualTo(3);
        }
        for (int i = 0; i < 3; i++) {
            upload();
        }
        assertThat(store.puts).hasSize(7);
        assertThat(store.puts.get(0)).contains("dt=2000-01-01");
        assertThat(store.puts.get(6)).contains("dt=2000-01-07");
    }

    @Test
    void tenThousandDatesStayWithinTheMemoryBound() throws Exception {
        writer(5_000, 64, 8L << 20);
        LocalDate start = LocalDate.parse("1990-01-01");
        for (int i = 0; i < 10_000; i++) {
            send(start.plusDays(i));
            step();
            uploads.runAll();
            assertThat(budget.used()).isLessThan(8L << 20);
        }
        writer.stop();
        while (writer.phase() != Writer.Phase.DONE) {
            upload();
        }
        assertThat(acks.deleted).hasSize(10_000);
        assertThat(budget.peak()).isLessThan(8L << 20);
    }

    @Test
    void aBatchIsWrittenAsItIsWhenItsGzipStreamWouldTakeTheWriterOverTheBound() throws Exception {
        writer(100_000, 64, 300_000);
        // Memory the writer does not hold: what pollers have in transit, say.
        budget.reserve(100_000);
        LocalDate d = LocalDate.parse("2026-11-25");
        byte[] padding = "x".repeat(1_000).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 150; i++) {
            QueueMessage m = new QueueMessage("m" + (++messages), null, "r" + messages, 1);
            byte[] line = ("{\"id\":\"" + m.messageId() + "\",\"pad\":\"" + new String(padding, StandardCharsets.UTF_8) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            budget.reserve(line.length + 48);
            writer.submit(new Writer.Received(new HeldMessage(m, clock.instant(), clock.instant().plus(VISIBILITY), 1, false),
                    List.of(new Writer.Line(d, line)), List.of(), line.length + 48));
            step();
            // A gzip stream starting at 64 KB of lines holds about 280 KB at once: 100 KB + 280 KB would be over 300 KB.
            assertThat(budget.peak()).as("after %d lines", i + 1).isLessThanOrEqualTo(300_000);
        }
        assertThat(uploads.started()).as("batches written at 64 KB of lines instead of compressing on").isGreaterThanOrEqualTo(2);
        writer.stop();
        while (writer.phase() != Writer.Phase.DONE) {
            upload();
        }
        assertThat(acks.deleted).hasSize(150);
        assertThat(budget.peak()).isLessThanOrEqualTo(300_000);
    }

    @Test
    void aWriteThatFailsIsRetriedAfterABackoffWithoutDeletingMeanwhile() throws Exception {
        QueueMessage m = send(LocalDate.parse("2026-11-25"));
        store.failNext(1, true);
        writer.flushAll("test");
        step();
        upload();
        assertThat(acks.deleted).isEmpty();
        assertThat(uploads.started()).isEqualTo(1);
        clock.advance(Duration.ofMillis(999));
        step();
        assertThat(uploads.started()).as("backoff of 1 s not over").isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        step();
        upload();
        assertThat(acks.deleted).containsExactly(m.messageId());
        assertThat(fatal).isEmpty();
    }

    @Test
    void aWriteThatCannotSucceedStopsTheRunAndDeletesNothing() throws Exception {
        send(LocalDate.parse("2026-11-25"));
        store.failNext(1, false);
        writer.flushAll("test");
        step();
        upload();
        assertThat(fatal).singleElement().isInstanceOf(Writer.WriteFailedException.class)
                .satisfies(e -> assertThat(e).hasCauseInstanceOf(StoreException.class).hasMessageContaining("will be delivered again"));
        assertThat(acks.deleted).isEmpty();
        assertThat(writer.givenUp()).hasSize(1);
    }

    @Test
    void atStopAFailingWriteIsGivenUpAfterAFewAttemptsAndItsMessagesAreKept() throws Exception {
        send(LocalDate.parse("2026-11-25"));
        store.failNext(Integer.MAX_VALUE, true);
        writer.stop();
        for (int i = 0; i < 20 && writer.phase() != Writer.Phase.DONE; i++) {
            upload();
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(writer.phase()).isEqualTo(Writer.Phase.DONE);
        assertThat(store.attempts.get()).isEqualTo(Writer.ATTEMPTS_WHEN_STOPPING);
        assertThat(acks.deleted).isEmpty();
        assertThat(writer.unwrittenLines()).isEqualTo(1);
    }

    @Test
    void aMessageWithOnlyRejectedEventsIsDeletedOnceItsRecordsAreDurable() throws Exception {
        QueueMessage m = new QueueMessage("m-r", null, "r", 1);
        Writer.Line record = new Writer.Line(LocalDate.parse("2026-11-25"), "{\"message_id\":\"m-r\"}".getBytes(StandardCharsets.UTF_8));
        writer.submit(new Writer.Received(new HeldMessage(m, T0, T0.plus(VISIBILITY), 1, false), List.of(), List.of(record), 0));
        writer.flushAll("test");
        step();
        assertThat(acks.deleted).isEmpty();
        upload();
        assertThat(acks.deleted).containsExactly("m-r");
        assertThat(store.puts).singleElement().satisfies(k -> assertThat(k).startsWith("deadletter/records/dt=2026-11-25/"));
    }

    @Test
    void aMessageWhoseDeadLetterSendFailedIsNeverDeleted() throws Exception {
        QueueMessage m = new QueueMessage("m-k", null, "r", 1);
        writer.submit(new Writer.Received(new HeldMessage(m, T0, T0.plus(VISIBILITY), 1, true),
                List.of(new Writer.Line(LocalDate.parse("2026-11-25"), "{}".getBytes(StandardCharsets.UTF_8))), List.of(), 0));
        writer.flushAll("test");
        step();
        upload();
        assertThat(store.puts).hasSize(1);
        assertThat(acks.deleted).isEmpty();
    }

    /** Records what the writer asks of the queue. */
    static final class RecordingAcks implements Acknowledger {
        final List<String> deleted = new CopyOnWriteArrayList<>();
        final List<String> extended = new CopyOnWriteArrayList<>();

        @Override
        public void delete(QueueMessage m) {
            deleted.add(m.messageId());
        }

        @Override
        public void extend(List<QueueMessage> receipts, Duration timeout) {
            receipts.forEach(r -> extended.add(r.messageId()));
        }
    }

    /** Uploads that run only when the test says. */
    static final class ManualUploads implements Executor {
        private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
        private int started;

        @Override
        public synchronized void execute(Runnable r) {
            queued.add(r);
            started++;
        }

        synchronized int started() {
            return started;
        }

        void runOne() {
            Runnable r;
            synchronized (this) {
                r = queued.poll();
            }
            if (r != null) {
                r.run();
            }
        }

        void runAll() {
            while (true) {
                Runnable r;
                synchronized (this) {
                    r = queued.poll();
                }
                if (r == null) {
                    return;
                }
                r.run();
            }
        }
    }

    /** An in-memory store whose next puts fail, retriably or not. */
    static final class FlakyStore implements ObjectStore {
        final List<String> puts = new CopyOnWriteArrayList<>();
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();
        private int failures;
        private boolean retriable;

        synchronized void failNext(int n, boolean retriable) {
            this.failures = n;
            this.retriable = retriable;
        }

        @Override
        public void put(String key, byte[] data) {
            attempts.incrementAndGet();
            synchronized (this) {
                if (failures > 0) {
                    failures--;
                    throw new StoreException("disk says no", false, retriable, null);
                }
            }
            objects.put(key, data);
            puts.add(key);
        }

        @Override public String location() { return "memory"; }
        @Override public String ensureReady() { return "ready"; }
        @Override public java.io.InputStream open(String key) { return new java.io.ByteArrayInputStream(objects.get(key)); }
        @Override public java.util.stream.Stream<dev.eventpipe.store.StoredObject> list(String prefix) { return java.util.stream.Stream.empty(); }
        @Override public void move(String from, String to) { objects.put(to, objects.remove(from)); }
        @Override public void delete(String key) { objects.remove(key); }
        @Override public boolean exists(String key) { return objects.containsKey(key); }
    }
}
