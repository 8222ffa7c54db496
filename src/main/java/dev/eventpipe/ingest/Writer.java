package dev.eventpipe.ingest;

import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.retry.Retriable;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.DfsLayout;
import dev.eventpipe.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of every open batch (Confluent's S3 sink {@code TopicPartitionWriter} is the model):
 * pollers hand it whole messages; it appends their lines to a batch per event date (and their
 * dead-letter records to a batch per day), seals a batch by events, bytes or age, has the store write
 * it on an upload thread, retries a failed write after a backoff without ever sleeping, and hands a
 * message to the {@link Acker} only when every line it gave is durable. It also keeps held messages
 * hidden on the queue before their visibility timeout ends.
 *
 * <p>All of its state is touched by its own thread only ({@link #run()}); other threads talk to it
 * through {@link #submit}, {@link #flushAll} and {@link #stop}. Tests drive it step by step with
 * {@link #processOnce} and a controlled clock.
 */
final class Writer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Writer.class);
    /** Attempts a failing write still gets once a stop is asked for. */
    static final int ATTEMPTS_WHEN_STOPPING = 3;

    /** One line of a file to be: an event line of a date, or a record line (date of receipt). */
    record Line(LocalDate date, byte[] bytes) {
    }

    /** What a poller hands over for one message; {@code bytes} were reserved in the {@link Budget}. */
    record Received(HeldMessage message, List<Line> events, List<Line> records, long bytes) {
    }

    private record UploadDone(FileBatch batch, Throwable failure) {
    }

    private record ReceivedAll(List<Received> all) {
    }

    private record FlushAll(String why) {
    }

    private record Stop() {
    }

    enum Phase { RUNNING, STOPPING, DONE }

    /** What the writer is told: limits, names, timeouts. */
    record Options(String writerId, int batchMaxEvents, long batchMaxBytes, Duration batchMaxAge, int maxOpenBatches,
                   int gzipLevel, Duration visibilityTimeout, int maxUploads) {
    }

    private final ObjectStore store;
    private final Options o;
    private final Clock clock;
    private final Acknowledger acker;
    private final ConsumerStats stats;
    private final Budget budget;
    private final Executor uploads;
    private final RetryPolicy retry;
    private final Consumer<Throwable> onFatal;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

    private final LinkedHashMap<LocalDate, FileBatch> openEvents = new LinkedHashMap<>();
    private final LinkedHashMap<LocalDate, FileBatch> openRecords = new LinkedHashMap<>();
    private final ArrayDeque<FileBatch> sealed = new ArrayDeque<>();
    private final List<FileBatch> waiting = new ArrayList<>();
    private final List<FileBatch> writing = new ArrayList<>();
    private final List<FileBatch> givenUp = new ArrayList<>();
    /** Messages not yet complete, in the order their hiding ends. */
    private final LinkedHashMap<HeldMessage, Boolean> hidden = new LinkedHashMap<>();
    private long eventSeq;
    private long recordSeq;
    private volatile Phase phase = Phase.RUNNING;
    private volatile long lastWriteNanos;
    private volatile long heldEvents;
    /** Taken in since the writer last told the budget what it holds. */
    private long takenBytes;
    private long takenMessages;

    Writer(ObjectStore store, Options options, Clock clock, Acknowledger acker, ConsumerStats stats, Budget budget, Executor uploads,
           RetryPolicy retry, Consumer<Throwable> onFatal) {
        this.store = store;
        this.o = options;
        this.clock = clock;
        this.acker = acker;
        this.stats = stats;
        this.budget = budget;
        this.uploads = uploads;
        this.retry = retry;
        this.onFatal = onFatal;
    }

    // ------------------------------------------------------------ from other threads

    /** Hands over one message's lines. */
    void submit(Received r) {
        inbox.add(r);
    }

    /** Hands over the lines of the messages of one receive, in order. */
    void submit(List<Received> rs) {
        inbox.add(new ReceivedAll(rs));
    }

    /** Seals every open batch now (the queue looked idle, or a drain wants our messages deleted). */
    void flushAll(String why) {
        inbox.add(new FlushAll(why));
    }

    /** Seals everything, writes it, and ends {@link #run()} once nothing is left to write or give up. */
    void stop() {
        inbox.add(new Stop());
    }

    Phase phase() {
        return phase;
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    long heldEvents() {
        return heldEvents;
    }

    // ------------------------------------------------------------ its own thread

    @Override
    public void run() {
        try {
            while (phase != Phase.DONE) {
                processOnce(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            onFatal.accept(e);
        }
    }

    /** Takes what arrived (waiting up to {@code waitMillis} for the first), then does what is due. */
    void processOnce(long waitMillis) throws InterruptedException {
        Object s = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
        while (s != null) {
            handle(s);
            s = inbox.poll();
        }
        step(clock.instant());
    }

    private void handle(Object s) {
        if (s instanceof Received r) {
            accept(r);
        } else if (s instanceof ReceivedAll rs) {
            for (Received r : rs.all()) {
                accept(r);
            }
        } else if (s instanceof UploadDone d) {
            uploaded(d.batch(), d.failure());
        } else if (s instanceof FlushAll f) {
            if (!openEvents.isEmpty() || !openRecords.isEmpty()) {
                log.debug("consume: writing every open batch ({})", f.why());
            }
            sealAll(f.why());
        } else if (s instanceof Stop) {
            if (phase == Phase.RUNNING) {
                phase = Phase.STOPPING;
            }
        }
    }

    private void accept(Received r) {
        takenBytes += r.bytes();
        takenMessages++;
        HeldMessage m = r.message();
        if (r.events().isEmpty() && r.records().isEmpty()) {
            complete(m);
            return;
        }
        hidden.put(m, Boolean.TRUE);
        for (Line l : r.events()) {
            add(openEvents, FileBatch.Kind.EVENTS, l, m);
        }
        for (Line l : r.records()) {
            add(openRecords, FileBatch.Kind.RECORDS, l, m);
        }
    }

    private void add(LinkedHashMap<LocalDate, FileBatch> open, FileBatch.Kind kind, Line l, HeldMessage m) {
        FileBatch b = open.get(l.date());
        if (b != null && b.wouldStartCompressing(l.bytes().length) && budget.used() > budget.max() - FileBatch.GZIP_FIXED_BYTES) {
            // A gzip stream's fixed memory (about 280 KB at once) would take what the writer holds over the bound, which
            // pollers cannot see coming: the batch is written as it is instead, compressed in one go.
            seal(b, "memory bound");
            b = null;
        }
        if (b == null) {
            if (open.size() >= o.maxOpenBatches()) {
                // Bounded open batches: the oldest is written first, so many dates never pile up in memory.
                seal(open.values().iterator().next(), "open batches");
            }
            b = new FileBatch(kind, l.date(), clock.instant(), o.gzipLevel());
            open.put(l.date(), b);
        }
        b.add(l.bytes(), m);
        if (kind == FileBatch.Kind.EVENTS) {
            heldEvents++;
        }
        if (b.lines() >= o.batchMaxEvents() || b.rawBytes() >= o.batchMaxBytes()) {
            seal(b, "full");
        }
    }

    private void sealAll(String why) {
        for (FileBatch b : new ArrayList<>(openEvents.values())) {
            seal(b, why);
        }
        for (FileBatch b : new ArrayList<>(openRecords.values())) {
            seal(b, why);
        }
    }

    private void seal(FileBatch b, String why) {
        String key;
        long seq;
        if (b.kind == FileBatch.Kind.EVENTS) {
            openEvents.remove(b.date);
            seq = ++eventSeq;
            key = DfsLayout.incomingKey(b.date, o.writerId(), seq);
        } else {
            openRecords.remove(b.date);
            seq = ++recordSeq;
            key = DfsLayout.recordsKey(b.date, o.writerId(), seq);
        }
        b.seal(key, seq);
        log.debug("consume: sealed '{}' ({} lines, {})", key, b.lines(), why);
        sealed.add(b);
    }

    /** Does what is due at {@code now}: age and memory flushes, writes and retries, keeping messages hidden. */
    void step(Instant now) {
        for (FileBatch b : dueByAge(openEvents, now)) {
            seal(b, "age");
        }
        for (FileBatch b : dueByAge(openRecords, now)) {
            seal(b, "age");
        }
        budget.held(heldBytes(), hidden.size(), takenBytes, takenMessages);
        takenBytes = 0;
        takenMessages = 0;
        if (phase == Phase.STOPPING) {
            sealAll("stop");
        } else if ((budget.over() || budget.messagesPastHalf()) && sealed.isEmpty() && writing.isEmpty()) {
            FileBatch largest = largestOpen();
            if (largest != null) {
                seal(largest, "memory or in-flight bound");
            }
        }
        for (Iterator<FileBatch> it = waiting.iterator(); it.hasNext(); ) {
            FileBatch b = it.next();
            if (!b.nextAttemptAt.isAfter(now)) {
                it.remove();
                sealed.addFirst(b);
            }
        }
        while (!sealed.isEmpty() && writing.size() < o.maxUploads()) {
            startWrite(sealed.poll());
        }
        keepHidden(now);
        budget.held(heldBytes(), hidden.size());
        if (phase == Phase.STOPPING && openEvents.isEmpty() && openRecords.isEmpty() && sealed.isEmpty()
                && waiting.isEmpty() && writing.isEmpty()) {
            phase = Phase.DONE;
        }
    }

    private List<FileBatch> dueByAge(Map<LocalDate, FileBatch> open, Instant now) {
        List<FileBatch> due = new ArrayList<>(0);
        for (FileBatch b : open.values()) {
            if (!b.openedAt.plus(o.batchMaxAge()).isAfter(now)) {
                due.add(b);
            }
        }
        return due;
    }

    private FileBatch largestOpen() {
        FileBatch largest = null;
        for (FileBatch b : openEvents.values()) {
            if (largest == null || b.memoryBytes() > largest.memoryBytes()) {
                largest = b;
            }
        }
        return largest != null ? largest : openRecords.values().stream().findFirst().orElse(null);
    }

    private void startWrite(FileBatch b) {
        b.state = FileBatch.State.WRITING;
        writing.add(b);
        uploads.execute(() -> {
            Throwable failure = null;
            try {
                store.put(b.key, b.data);
            } catch (Throwable e) {
                failure = e;
            }
            inbox.add(new UploadDone(b, failure));
        });
    }

    private void uploaded(FileBatch b, Throwable failure) {
        writing.remove(b);
        if (failure == null) {
            durable(b);
            return;
        }
        b.attempts++;
        b.lastFailure = failure;
        boolean stopping = phase != Phase.RUNNING;
        if (failure instanceof Error) {
            giveUp(b);
            onFatal.accept(failure);
            return;
        }
        if (!Retriable.isRetriable(failure)) {
            giveUp(b);
            onFatal.accept(new WriteFailedException("could not write '" + b.key + "' (" + b.lines() + " lines): "
                    + failure.getMessage() + "; this will not pass by retrying, so the consumer stopped; the messages of"
                    + " what it held were not deleted and will be delivered again", failure));
            return;
        }
        if (stopping && b.attempts >= ATTEMPTS_WHEN_STOPPING) {
            log.error("consume: giving up on '{}' ({} lines) after {} attempts: {}; its messages were not deleted and will be"
                    + " delivered again", b.key, b.lines(), b.attempts, failure.getMessage());
            giveUp(b);
            return;
        }
        Duration d = retry.delay(b.attempts);
        b.state = FileBatch.State.RETRY_WAIT;
        b.nextAttemptAt = clock.instant().plus(d);
        waiting.add(b);
        log.warn("consume: could not write '{}' ({} lines), attempt {}; retrying in {} ms: {}",
                b.key, b.lines(), b.attempts, d.toMillis(), failure.getMessage());
    }

    private void durable(FileBatch b) {
        b.state = FileBatch.State.DURABLE;
        lastWriteNanos = System.nanoTime();
        if (b.kind == FileBatch.Kind.EVENTS) {
            stats.files.increment();
            stats.fileBytes.add(b.data.length);
            stats.writtenEvents.add(b.lines());
            stats.fileFinished(b.seq, b.lines());
            heldEvents -= b.lines();
            log.info("consume: wrote '{}' ({} events, {} bytes)", b.key, b.lines(), b.data.length);
        } else {
            log.info("consume: wrote '{}' ({} dead-letter records)", b.key, b.lines());
        }
        for (Map.Entry<HeldMessage, Integer> h : b.holders().entrySet()) {
            if (h.getKey().written(h.getValue())) {
                complete(h.getKey());
            }
        }
        b.data = null;
    }

    /**
     * A batch that will not be written: its messages are never deleted (the queue delivers them again),
     * and it is not counted as written: a failed PUT may still have landed, so status counts this writer's
     * files from this one on from the store.
     */
    private void giveUp(FileBatch b) {
        givenUp.add(b);
        if (b.kind == FileBatch.Kind.EVENTS) {
            heldEvents -= b.lines();
        }
        for (HeldMessage h : b.holders().keySet()) {
            h.abandon();
            hidden.remove(h);
        }
        b.data = null;
    }

    private void complete(HeldMessage m) {
        hidden.remove(m);
        if (m.deletable()) {
            acker.delete(m.receipt);
        }
    }

    /** Extends the hiding of messages with less than a third of the visibility timeout left. */
    private void keepHidden(Instant now) {
        Instant threshold = now.plus(o.visibilityTimeout().dividedBy(3));
        List<HeldMessage> due = new ArrayList<>(0);
        for (HeldMessage h : hidden.keySet()) {
            if (h.hiddenUntil.isAfter(threshold)) {
                break;
            }
            due.add(h);
        }
        if (due.isEmpty()) {
            return;
        }
        List<QueueMessage> receipts = new ArrayList<>(due.size());
        Instant until = now.plus(o.visibilityTimeout());
        for (HeldMessage h : due) {
            receipts.add(h.receipt);
            h.hiddenUntil = until;
            hidden.remove(h);
            hidden.put(h, Boolean.TRUE);
        }
        acker.extend(receipts, o.visibilityTimeout());
    }

    private long heldBytes() {
        long n = 0;
        for (FileBatch b : openEvents.values()) {
            n += b.memoryBytes();
        }
        for (FileBatch b : openRecords.values()) {
            n += b.memoryBytes();
        }
        for (FileBatch b : sealed) {
            n += b.memoryBytes();
        }
        for (FileBatch b : waiting) {
            n += b.memoryBytes();
        }
        for (FileBatch b : writing) {
            n += b.memoryBytes();
        }
        return n;
    }

    // ------------------------------------------------------------ for the consumer's summary and tests

    /** Batches given up: their messages were not deleted. */
    List<FileBatch> givenUp() {
        return givenUp;
    }

    int openBatches() {
        return openEvents.size() + openRecords.size();
    }

    /** Lines in batches given up. */
    long unwrittenLines() {
        long n = 0;
        for (FileBatch b : givenUp) {
            n += b.lines();
        }
        return n;
    }

    /** A write that cannot succeed: the consumer stops, and says which file and why. */
    static final class WriteFailedException extends RuntimeException implements Retriable {
        WriteFailedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    static LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
