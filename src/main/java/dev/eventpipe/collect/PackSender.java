package dev.eventpipe.collect;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.SendResult;
import dev.eventpipe.event.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's way into the queue: the event lines of many requests, from many connections, are
 * packed together (gzip+base64 NDJSON, {@link EventCodec#packBytes}'s format, at gzip's fastest level:
 * {@link FastPack}) into messages as large as SQS takes,
 * and sent with SendMessageBatch. Lines go at once when no call is on its way (waiting then would only add
 * latency); while one is, the lines of the requests that arrive gather into the next message, which goes
 * when that call returns (group commit: under load each call carries what arrived during the last one),
 * when it is full, or when its first line has waited {@code wait}, whichever comes first. Each request's
 * future completes only when every message holding its lines was accepted by the queue, and fails as soon
 * as one was not: the answer to the client waits for SQS, so an SDK's retry never loses an event.
 */
final class PackSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PackSender.class);

    /** A message's size we aim below: a pack that still comes out larger is split. */
    private static final int AIM = EventBus.MAX_BATCH_BYTES * 7 / 8;

    /** What the sender reports per SendMessageBatch call. */
    interface Listener {
        void sent(int messages, int events, long bytes, long nanos, boolean ok);
    }

    private final EventBus bus;
    private final long waitNanos;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;

    /** Calls at most on their way before lines gather instead of going at once. */
    private static final int EAGER_CALLS = 1;

    private Open open = new Open(0);
    private boolean closed;
    /** Sealed messages handed to a sender and not yet answered by the queue. */
    private int calling;
    /** Packed bytes per raw byte, as the last packs came out: what sets how many raw bytes make one message. */
    private volatile double ratio = 0.3;

    PackSender(EventBus bus, Duration wait, int senderThreads, Listener listener) {
        this.bus = bus;
        this.waitNanos = wait.toNanos();
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "collector-batch-timer"));
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(senderThreads, r -> daemon(r, "collector-sender-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One request's lines, on their way. */
    private static final class Ticket {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Messages holding its lines not yet accepted, plus one while its lines are still being added. */
        final AtomicInteger pending = new AtomicInteger(1);

        void partDone() {
            if (pending.decrementAndGet() == 0) {
                done.complete(null);
            }
        }
    }

    /** The lines gathering for the next message. */
    private static final class Open {
        final long generation;
        final List<byte[]> lines = new ArrayList<>();
        final List<Ticket> owners = new ArrayList<>();
        long raw;
        /** Whether a timer will send it when its first line has waited long enough. */
        boolean timed;

        Open(long generation) {
            this.generation = generation;
        }
    }

    /**
     * Queues {@code lines} (each one event's JSON, UTF-8, or a rejected text as it came); the future
     * completes when the queue has accepted all of them, or fails with the reason it did not.
     */
    CompletableFuture<Void> submit(List<byte[]> lines) {
        Ticket t = new Ticket();
        List<Open> full = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                t.done.completeExceptionally(new BusException("the collector is stopping", true, null));
                return t.done;
            }
            long target = (long) (AIM / ratio);
            for (byte[] line : lines) {
                open.lines.add(line);
                open.owners.add(t);
                if (open.owners.size() == 1 || open.owners.get(open.owners.size() - 2) != t) {
                    t.pending.incrementAndGet();
                }
                open.raw += line.length + 1;
                if (open.raw >= target) {
                    full.add(seal());
                }
            }
            if (!open.lines.isEmpty()) {
                if (waitNanos == 0 || calling + full.size() < EAGER_CALLS) {
                    full.add(seal());
                } else if (!open.timed) {
                    open.timed = true;
                    long gen = open.generation;
                    timer.schedule(() -> flush(gen), waitNanos, TimeUnit.NANOSECONDS);
                }
            }
            calling += full.size();
        }
        for (Open o : full) {
            dispatch(o);
        }
        t.partDone();
        return t.done;
    }

    private void dispatch(Open o) {
        try {
            senders.execute(() -> sendAndNext(o));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                calling--;
            }
            fail(o.owners, new BusException("the collector is stopping", true, e));
        }
    }

    /** Sends {@code o}, then what gathered meanwhile while no other call is on its way. */
    private void sendAndNext(Open o) {
        Open next = o;
        while (next != null) {
            try {
                send(next);
            } catch (RuntimeException e) {
                fail(next.owners, e);
            }
            synchronized (this) {
                calling--;
                if (!open.lines.isEmpty() && calling < EAGER_CALLS) {
                    next = seal();
                    calling++;
                } else {
                    next = null;
                }
            }
        }
    }

    /** Sends what gathered when the wait of its first line is over. */
    private void flush(long generation) {
        Open o;
        synchronized (this) {
            if (open.generation != generation || open.lines.isEmpty()) {
                return;
            }
            o = seal();
            calling++;
        }
        dispatch(o);
    }

    private Open seal() {
        Open o = open;
        open = new Open(o.generation + 1);
        return o;
    }

    /** A packed message and the requests whose lines it holds. */
    private record Part(String body, int events, List<Ticket> owners) {
    }

    private void send(Open o) {
        List<Part> parts = new ArrayList<>();
        pack(o.lines, o.owners, parts);
        // A request whose lines the split put in several messages waits for each of them.
        Map<Ticket, Integer> count = new IdentityHashMap<>();
        for (Part p : parts) {
            for (Ticket t : distinct(p.owners())) {
                count.merge(t, 1, Integer::sum);
            }
        }
        count.forEach((t, n) -> t.pending.addAndGet(n - 1));
        int from = 0;
        while (from < parts.size()) {
            int to = from;
            long bytes = 0;
            while (to < parts.size() && to - from < EventBus.MAX_BATCH && bytes + parts.get(to).body().length() <= EventBus.MAX_BATCH_BYTES) {
                bytes += parts.get(to).body().length();
                to++;
            }
            call(parts.subList(from, to), bytes);
            from = to;
        }
    }

    /** Packs {@code lines} into parts of at most one message each, halving where a pack comes out too large. */
    private void pack(List<byte[]> lines, List<Ticket> owners, List<Part> out) {
        long raw = 0;
        for (byte[] l : lines) {
            raw += l.length + 1;
        }
        String body = FastPack.pack(lines);
        ratio = 0.7 * ratio + 0.3 * Math.max(0.01, (double) body.length() / raw);
        if (body.length() <= EventBus.MAX_BATCH_BYTES || lines.size() == 1) {
            out.add(new Part(body, lines.size(), owners));
            return;
        }
        int half = lines.size() / 2;
        pack(lines.subList(0, half), owners.subList(0, half), out);
        pack(lines.subList(half, lines.size()), owners.subList(half, owners.size()), out);
    }

    private void call(List<Part> parts, long bytes) {
        List<String> bodies = parts.stream().map(Part::body).toList();
        int events = parts.stream().mapToInt(Part::events).sum();
        long start = System.nanoTime();
        SendResult result;
        try {
            result = bus.send(bodies);
        } catch (BusException | IllegalArgumentException e) {
            listener.sent(parts.size(), events, bytes, System.nanoTime() - start, false);
            log.warn("collect: the queue did not take {} events in {} messages: {}", events, parts.size(), e.getMessage());
            for (Part p : parts) {
                fail(p.owners(), e);
            }
            return;
        }
        listener.sent(parts.size(), events, bytes, System.nanoTime() - start, result.failed().isEmpty());
        boolean[] refused = new boolean[parts.size()];
        for (SendResult.Failure f : result.failed()) {
            refused[f.index()] = true;
            log.warn("collect: the queue refused a message of {} events: {} {}", parts.get(f.index()).events(), f.code(), f.message());
        }
        for (int i = 0; i < parts.size(); i++) {
            if (refused[i]) {
                fail(parts.get(i).owners(), new BusException("the queue refused a message: " + firstRefusal(result), true, null));
            } else {
                for (Ticket t : distinct(parts.get(i).owners())) {
                    t.partDone();
                }
            }
        }
    }

    private static String firstRefusal(SendResult r) {
        SendResult.Failure f = r.failed().get(0);
        return f.code() + " " + f.message();
    }

    private static void fail(List<Ticket> owners, Exception e) {
        for (Ticket t : distinct(owners)) {
            t.done.completeExceptionally(e);
        }
    }

    /** The tickets of a part, each once (a request's lines sit next to each other). */
    private static List<Ticket> distinct(List<Ticket> owners) {
        List<Ticket> out = new ArrayList<>();
        for (Ticket t : owners) {
            if (out.isEmpty() || out.get(out.size() - 1) != t) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Sends what is gathering and waits up to {@code atMost} for every message on its way; requests
     * submitted after this fail.
     */
    void close(Duration atMost) {
        Open last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = open.lines.isEmpty() ? null : seal();
            if (last != null) {
                calling++;
            }
        }
        if (last != null) {
            dispatch(last);
        }
        timer.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("collect: messages still on their way to the queue after {} s; their requests get no 200", atMost.toSeconds());
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            senders.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
