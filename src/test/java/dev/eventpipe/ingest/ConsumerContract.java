package dev.eventpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipe.bus.DeadLetter;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.QueueDepth;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SendResult;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.event.DecodedBody;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.Rejection;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.StoreException;
import dev.eventpipe.store.StoredObject;
import dev.eventpipe.testkit.Await;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.MutableClock;
import dev.eventpipe.testkit.QueueContents;
import dev.eventpipe.testkit.StoreContents;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The consumer's guarantees, against real ElasticMQ and each file store adapter. */
abstract class ConsumerContract {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    private static final AtomicInteger WRITERS = new AtomicInteger();
    final EventCodec codec = new EventCodec(4096);
    Map<String, String> env;
    SqsEventBus bus;
    ObjectStore store;

    /** A fresh, ready store. */
    abstract ObjectStore newStore();

    @BeforeEach
    void setUp() {
        env = queue.env();
        bus = queue.bus(env);
        store = newStore();
        store.ensureReady();
    }

    ConsumerOptions options(boolean untilEmpty) {
        return new ConsumerOptions(4, 5_000, 32 << 20, Duration.ofSeconds(60), 64 << 20, 0, Duration.ofSeconds(1),
                Duration.ofSeconds(120), 1, "w" + WRITERS.incrementAndGet(), untilEmpty, Duration.ofMinutes(2), Duration.ofSeconds(10));
    }

    /** Sends {@code count} simulated events, one per message; returns their ids. */
    List<String> sendEvents(int count) {
        List<Event> events = Generator.sample(count, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 500, 0.4, 0.6,
                1L, System.nanoTime(), 4096), Clock.systemUTC());
        List<String> bodies = events.stream().map(codec::toWireJson).toList();
        sendBodies(bodies);
        return events.stream().map(Event::id).toList();
    }

    void sendBodies(List<String> bodies) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int from = 0; from < bodies.size(); from += 10) {
                List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
                fs.add(pool.submit(() -> assertThat(bus.send(chunk).failed()).isEmpty()));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdown();
        }
    }

    /** 4 pollers that receive without a long-poll wait and pause 100 ms after an empty receive. */
    ConsumerOptions noReceiveWait(boolean untilEmpty, Duration duration) {
        return new ConsumerOptions(4, 5_000, 32 << 20, Duration.ofSeconds(60), 64 << 20, 0, Duration.ZERO,
                Duration.ofSeconds(120), 1, "w" + WRITERS.incrementAndGet(), untilEmpty, duration, Duration.ofSeconds(10));
    }

    /** Runs {@code c} on a thread of its own, started. */
    static Thread inBackground(Consumer c) {
        Thread t = new Thread(() -> {
            try {
                c.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        return t;
    }

    ConsumerSummary consume(EventBus b, ObjectStore s, ConsumerOptions o, Clock clock) throws InterruptedException {
        Consumer c = new Consumer(b, s, codec, o, clock);
        ConsumerSummary summary = c.run();
        assertThat(c.failure()).isEmpty();
        return summary;
    }

    @Test
    void everyEventOfTwentyThousandEndsUpInAFileAndEveryMessageIsDeleted() throws Exception {
        List<String> ids = sendEvents(20_000);
        ConsumerSummary s = consume(bus, store, options(true), Clock.systemUTC());
        assertThat(s.validEvents()).isEqualTo(20_000);
        assertThat(s.writtenEvents()).isEqualTo(20_000);
        assertThat(s.deletedMessages()).isEqualTo(20_000);
        assertThat(s.files()).isGreaterThanOrEqualTo(4);
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(ids);
        QueueDepth depth = bus.depth();
        assertThat(depth.visible() + depth.inFlight()).isZero();
        try (Stream<StoredObject> files = store.list(DfsLayout.INCOMING)) {
            assertThat(files.map(StoredObject::key)).allMatch(k -> k.matches(
                    "incoming/events/dt=\\d{4}-\\d{2}-\\d{2}/w\\d+-\\d{6}\\.ndjson\\.gz"));
        }
    }

    @Test
    void eachEventGoesToTheFileOfItsDate() throws Exception {
        String day1 = EventCodecFixtures.event("a", "2026-11-20 10:00:00");
        String day2 = EventCodecFixtures.event("b", "2026-11-21 23:59:59.999999");
        String both = "[" + EventCodecFixtures.event("c", "2026-11-20 00:00:00") + "," + EventCodecFixtures.event("d", "2026-11-21T01:00:00+02:00") + "]";
        sendBodies(List.of(day1, day2, both));
        consume(bus, store, options(true), Clock.systemUTC());
        // 01:00+02:00 on the 21st is 23:00 UTC on the 20th: partitions are UTC dates.
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING + "dt=2026-11-20/")).containsExactlyInAnyOrder("a", "c", "d");
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING + "dt=2026-11-21/")).containsExactlyInAnyOrder("b");
        JsonNode d = StoreContents.events(store, DfsLayout.INCOMING + "dt=2026-11-20/").stream()
                .filter(n -> n.get("id").asText().equals("d")).findFirst().orElseThrow();
        assertThat(d.get("timestamp").asText()).isEqualTo("2026-11-20 23:00:00.000000");
    }

    @Test
    void malformedMessagesOfEachKindAreOnTheDeadLetterQueueWithTheirReasonAndNowhereElse() throws Exception {
        List<String> good = new ArrayList<>(List.of(EventCodecFixtures.event("good-1", "2026-11-24 10:00:00"),
                EventCodecFixtures.event("good-2", "2026-11-24 10:00:01")));
        Map<String, String> bad = new HashMap<>();
        bad.put("{\"id\":\"x\",\"event\":", "invalid_json");
        bad.put("\"just a string\"", "not_an_object");
        bad.put(EventCodecFixtures.event("m", "2026-11-24 10:00:00").replace("\"anonymous_id\":\"anon\",", ""), "missing_field");
        bad.put(EventCodecFixtures.event("t", "yesterday"), "bad_timestamp");
        bad.put(EventCodecFixtures.event("w", "2026-11-24 10:00:00").replace("\"id\":\"w\"", "\"id\":42"), "wrong_type");
        bad.put(EventCodecFixtures.event("big", "2026-11-24 10:00:00").replace("}", ",\"blob\":\"" + "x".repeat(5000) + "\"}"), "too_large");
        bad.put("   ", "empty");
        List<String> bodies = new ArrayList<>(good);
        bodies.addAll(bad.keySet());
        // a pack and an array, each with one good and one bad event
        bodies.add(EventCodec.pack(List.of(EventCodecFixtures.event("good-3", "2026-11-24 10:00:02"), "{broken")));
        bodies.add("[" + EventCodecFixtures.event("good-4", "2026-11-24 10:00:03") + ",17]");
        sendBodies(bodies);

        ConsumerSummary s = consume(bus, store, options(true), Clock.systemUTC());

        assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrder("good-1", "good-2", "good-3", "good-4");
        assertThat(s.rejectedTotal()).isEqualTo(9);
        try (SqsClient sqs = queue.client()) {
            List<Message> dead = QueueContents.drainView(sqs, env.get("EVENTPIPE_AWS_SQS_NAME") + "-dlq", 60);
            Map<String, String> reasonByBody = new HashMap<>();
            for (Message m : dead) {
                reasonByBody.put(m.body(), m.messageAttributes().get(SqsEventBus.REASON_ATTRIBUTE).stringValue());
                assertThat(m.messageAttributes().get(SqsEventBus.DETAIL_ATTRIBUTE).stringValue()).isNotBlank();
            }
            bad.forEach((body, reason) -> assertThat(reasonByBody).containsEntry(body, reason));
            assertThat(reasonByBody).containsEntry("{broken", "invalid_json").containsEntry("17", "not_an_object");
            assertThat(dead).hasSize(9);
        }
        QueueDepth depth = bus.depth();
        assertThat(depth.visible() + depth.inFlight()).isZero();
    }

    @Test
    void aStoreThatFailsOnceLeadsToNoDeleteBeforeTheWriteAndNoLoss() throws Exception {
        List<String> ids = sendEvents(3_000);
        RecordingBus recording = new RecordingBus(bus);
        AtomicLong deletedAtFailure = new AtomicLong(-1);
        ObjectStore flaky = new FailingStore(store, 1, () -> deletedAtFailure.set(recording.deleted.get()));
        ConsumerSummary s = consume(recording, flaky, options(true), Clock.systemUTC());
        assertThat(deletedAtFailure.get()).isZero();
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(s.deletedMessages()).isEqualTo(3_000);
        assertThat(recording.deleted.get()).isEqualTo(3_000);
    }

    @Test
    void aFileWhoseWriteWasGivenUpIsLeftForStatusToCountFromTheStore() throws Exception {
        List<String> ids = sendEvents(100);
        // Every put lands but reports a failure: stopped with every event held, the consumer gives up
        // after its last attempts and deletes nothing.
        Consumer c = new Consumer(bus, new FailingStore(store, Integer.MAX_VALUE, () -> { }, true), codec, options(false),
                Clock.systemUTC());
        AtomicReference<ConsumerSummary> summary = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                summary.set(c.run());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        Await.until(Duration.ofSeconds(30), () -> c.summary().validEvents() == 100, "100 events received");
        c.stop();
        t.join(60_000);
        ConsumerSummary s = summary.get();
        assertThat(c.failure()).isPresent();
        assertThat(s.deletedMessages()).isZero();
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(ids);
        // Its counts must not claim the file, nor claim it does not exist.
        assertThat(s.countedThroughSeq()).isZero();
        assertThat(s.countedEvents()).isZero();
    }

    @Test
    void withNoReceiveWaitAPollerPausesAfterAnEmptyReceiveInsteadOfSpinning() throws Exception {
        RecordingBus recording = new RecordingBus(bus);
        ConsumerOptions o = noReceiveWait(false, Duration.ofSeconds(1));
        consume(recording, store, o, Clock.systemUTC());
        // 4 pollers for 1 s, each pausing 100 ms after an empty receive: about 40. Spinning on ElasticMQ, thousands.
        assertThat(recording.receives.get()).isBetween(4L, 80L);
    }

    @Test
    void anUntilEmptyDrainWithNoReceiveWaitWritesTheLastFileAndStopsWithinASecondOfTheLastMessage() throws Exception {
        List<String> ids = sendEvents(2_000);
        RecordingBus recording = new RecordingBus(bus);
        ConsumerOptions o = noReceiveWait(true, Duration.ofMinutes(2));
        ConsumerSummary s = consume(recording, store, o, Clock.systemUTC());
        long afterLast = System.nanoTime() - recording.lastMessageNanos.get();
        assertThat(s.deletedMessages()).isEqualTo(2_000);
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(ids);
        // Two empty checks 50 ms apart once every poller found the queue empty, then the last deletes. With a 1 s
        // long poll the pollers sat out their wait on the empty queue and the stop waited for the next ones: over 2 s.
        assertThat(Duration.ofNanos(afterLast)).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void anUntilEmptyDrainStopsOnItsSecondEmptyCheckWhileItsLastFileIsStillBeingDeleted() throws Exception {
        sendEvents(2_000);
        // The queue's answer takes a while, as it can on a loaded server: the last file's deletes go on meanwhile.
        RecordingBus recording = new RecordingBus(bus) {
            @Override
            public QueueDepth depth() {
                QueueDepth d = super.depth();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return d;
            }
        };
        ConsumerOptions o = noReceiveWait(true, Duration.ofMinutes(2));
        ConsumerSummary s = consume(recording, store, o, Clock.systemUTC());
        assertThat(s.deletedMessages()).isEqualTo(2_000);
        // The first check writes the last file, the second ends the drain. When our messages were counted after the
        // queue answered, deletes made during the call put them below its in-flight count: every check failed until
        // the last of the 2,000 deletes, a dozen checks later.
        assertThat(recording.depthCalls.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void aStopDoesNotWaitOutThePollersPauseOrTheDeletersWait() throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Consumer c = new Consumer(bus, store, codec, noReceiveWait(false, Duration.ofMinutes(2)), Clock.systemUTC());
            Thread t = inBackground(c);
            Thread.sleep(300);
            long start = System.nanoTime();
            c.stop();
            t.join(10_000);
            best = Math.min(best, System.nanoTime() - start);
            assertThat(c.failure()).isEmpty();
        }
        // Pollers pause 100 ms after an empty receive and deleters wait 100 ms for work: the stop once waited out
        // both, one after the other (150-200 ms). Now a stop ends both waits at once.
        assertThat(Duration.ofNanos(best)).isLessThan(Duration.ofMillis(80));
    }

    @Test
    void theAgeFlushFiresOnTheClockEvenWhenThePartitionIsIdle() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
        List<String> ids = sendEvents(5);
        Consumer c = new Consumer(bus, store, codec, options(false), clock);
        Thread t = inBackground(c);
        try {
            Await.until(Duration.ofSeconds(20), () -> c.summary().validEvents() == 5, "5 events received");
            Thread.sleep(1_000);
            assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).as("nothing written before the age").isEmpty();
            assertThat(bus.depth().inFlight()).isEqualTo(5);
            clock.advance(Duration.ofSeconds(59));
            Thread.sleep(600);
            assertThat(StoreContents.keys(store, DfsLayout.INCOMING)).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            Await.until(Duration.ofSeconds(5), () -> !StoreContents.keys(store, DfsLayout.INCOMING).isEmpty(), "the age flush");
            assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(ids);
            Await.until(Duration.ofSeconds(5), () -> c.summary().deletedMessages() == 5, "the deletes");
        } finally {
            c.stop();
            t.join();
        }
    }

    @Test
    void aMessageWhoseProcessingThrowsIsLeftToTheRedrivePolicy() throws Exception {
        List<String> ids = sendEvents(20);
        sendBodies(List.of("{\"poison\":true}"));
        Function<String, DecodedBody> decoder = body -> {
            if (body.contains("poison")) {
                throw new IllegalStateException("boom");
            }
            return codec.decode(body);
        };
        Consumer c = new Consumer(bus, store, codec, decoder, options(true), Clock.systemUTC());
        ConsumerSummary s = c.run();
        assertThat(s.keptMessages()).isEqualTo(1);
        assertThat(s.deletedMessages()).isEqualTo(20);
        assertThat(StoreContents.ids(store, DfsLayout.INCOMING)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(bus.depth().inFlight()).as("the poison message waits for redelivery").isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedWhenBatchesAreLarge() throws Exception {
        sendEvents(4_000);
        ConsumerOptions o = new ConsumerOptions(4, 1_000_000, 200_000, Duration.ofSeconds(60), 400_000, 0,
                Duration.ofSeconds(1), Duration.ofSeconds(120), 1, "bounded", true, Duration.ofMinutes(2), Duration.ofSeconds(10));
        ConsumerSummary s = consume(bus, store, o, Clock.systemUTC());
        assertThat(s.writtenEvents()).isEqualTo(4_000);
        // A poller checks room before each receive, so at most one receive (10 messages) per poller goes over.
        assertThat(s.peakBufferedBytes()).isLessThanOrEqualTo(400_000 + 4 * 10 * 1_000);
    }

    @Test
    void twoConsumersOnOneQueueLoseNothing() throws Exception {
        List<String> ids = sendEvents(10_000);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ConsumerSummary> a = pool.submit(() -> consume(bus, store, options(true), Clock.systemUTC()));
            Future<ConsumerSummary> b = pool.submit(() -> consume(queue.bus(env), store, options(true), Clock.systemUTC()));
            assertThat(a.get().deletedMessages() + b.get().deletedMessages()).isEqualTo(10_000);
        } finally {
            pool.shutdown();
        }
        Set<String> found = new HashSet<>(StoreContents.ids(store, DfsLayout.INCOMING));
        assertThat(found).containsAll(ids);
    }

    /**
     * A store whose first {@code failures} puts fail, running {@code onFailure} each time; when
     * {@code landsAnyway}, a failing put still stores the object (a PUT whose reply was lost).
     */
    static final class FailingStore implements ObjectStore {
        private final ObjectStore delegate;
        private final AtomicInteger failures;
        private final Runnable onFailure;
        private final boolean landsAnyway;

        FailingStore(ObjectStore delegate, int failures, Runnable onFailure) {
            this(delegate, failures, onFailure, false);
        }

        FailingStore(ObjectStore delegate, int failures, Runnable onFailure, boolean landsAnyway) {
            this.delegate = delegate;
            this.failures = new AtomicInteger(failures);
            this.onFailure = onFailure;
            this.landsAnyway = landsAnyway;
        }

        @Override
        public void put(String key, byte[] data) {
            if (failures.getAndDecrement() > 0) {
                onFailure.run();
                if (landsAnyway) {
                    delegate.put(key, data);
                }
                throw new StoreException("injected failure writing " + key, null);
            }
            delegate.put(key, data);
        }

        @Override public String location() { return delegate.location(); }
        @Override public String ensureReady() { return delegate.ensureReady(); }
        @Override public InputStream open(String key) { return delegate.open(key); }
        @Override public Stream<StoredObject> list(String prefix) { return delegate.list(prefix); }
        @Override public void move(String from, String to) { delegate.move(from, to); }
        @Override public void delete(String key) { delegate.delete(key); }
        @Override public boolean exists(String key) { return delegate.exists(key); }
    }

    /** A bus that counts what it deletes. */
    static class RecordingBus implements EventBus {
        final EventBus delegate;
        final AtomicLong deleted = new AtomicLong();
        final AtomicLong receives = new AtomicLong();
        final AtomicLong lastMessageNanos = new AtomicLong();
        final AtomicLong depthCalls = new AtomicLong();

        RecordingBus(EventBus delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<QueueMessage> delete(List<QueueMessage> messages) {
            List<QueueMessage> failed = delegate.delete(messages);
            deleted.addAndGet(messages.size() - failed.size());
            return failed;
        }

        @Override public List<String> ensureQueues() { return delegate.ensureQueues(); }
        @Override public SendResult send(List<String> bodies) { return delegate.send(bodies); }
        @Override
        public List<QueueMessage> receive(int max, Duration wait) {
            List<QueueMessage> got = delegate.receive(max, wait);
            receives.incrementAndGet();
            if (!got.isEmpty()) {
                lastMessageNanos.set(System.nanoTime());
            }
            return got;
        }

        @Override public void extendVisibility(List<QueueMessage> messages, Duration timeout) { delegate.extendVisibility(messages, timeout); }
        @Override public List<DeadLetter> deadLetter(List<DeadLetter> letters) { return delegate.deadLetter(letters); }
        @Override public List<QueueMessage> peekDeadLetters(int max, Duration hide) { return delegate.peekDeadLetters(max, hide); }
        @Override public void release(List<QueueMessage> m) { delegate.release(m); }
        @Override public List<QueueMessage> deleteDeadLetters(List<QueueMessage> m) { return delegate.deleteDeadLetters(m); }
        @Override public SendResult sendWithAttributes(List<String> b, List<Map<String, String>> a) { return delegate.sendWithAttributes(b, a); }
        @Override public java.util.Optional<String> moveAllDeadLetters(Duration atMost) { return delegate.moveAllDeadLetters(atMost); }
        @Override
        public QueueDepth depth() {
            depthCalls.incrementAndGet();
            return delegate.depth();
        }
        @Override public void close() { delegate.close(); }
    }
}
