package dev.eventpipe.generate;

import dev.eventpipe.bus.BusException;
import dev.eventpipe.bus.EventBus;
import dev.eventpipe.bus.SendResult;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.event.RejectionReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's sender: several threads, each with its own slice of the device population, build
 * events and send them with SendMessageBatch. The rate is global: event number {@code n} is due at
 * {@code start + n / rate}, whichever thread takes it, so the achieved rate does not drift with
 * the number of threads or slow calls.
 */
public final class Generator {

    private static final Logger log = LoggerFactory.getLogger(Generator.class);
    private static final int HISTORY = 1_000;
    private static final String[] FAULTS = {"duplicate", "malformed", "late", "oversize"};

    private final EventBus bus;
    private final EventCodec codec;
    private final GeneratorOptions o;
    private final Clock clock;

    private final AtomicLong tickets = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder[] faults = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] malformed = new LongAdder[Malformer.REASONS.length];
    private final AtomicLong lastSendNanos = new AtomicLong();
    private volatile boolean stopRequested;
    private volatile long startNanos;

    public Generator(EventBus bus, EventCodec codec, GeneratorOptions options, Clock clock) {
        this.bus = bus;
        this.codec = codec;
        this.o = options;
        this.clock = clock;
        for (int i = 0; i < malformed.length; i++) {
            malformed[i] = new LongAdder();
        }
    }

    /** {@code count} events of the model (no faults, not sent): for tests and for sizing benchmarks. */
    public static List<Event> sample(int count, GeneratorOptions options, Clock clock) {
        EventSimulator sim = new EventSimulator(0, Math.max(1, options.devices()), options.populationSeed(),
                options.eventSeed(), options.androidShare(), options.funnelConversion(), clock);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(sim.next(false));
        }
        return events;
    }

    /**
     * {@code count} message bodies of the model in the options' format, one event each (no faults,
     * not sent): what a run puts on the queue, for tests and benchmarks.
     */
    public static List<String> sampleBodies(int count, GeneratorOptions options, Clock clock) {
        EventSimulator sim = new EventSimulator(0, Math.max(1, options.devices()), options.populationSeed(),
                options.eventSeed(), options.androidShare(), options.funnelConversion(), clock);
        EventCodec codec = new EventCodec(options.maxEventBytes());
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(options.format().body(sim.next(false), codec, sim.random()));
        }
        return bodies;
    }

    /** Asks the run to stop after the calls under way; {@link #run()} then returns its summary. */
    public void stop() {
        stopRequested = true;
    }

    /** Events the queue has accepted so far. */
    public long sentSoFar() {
        return sent.sum();
    }

    /**
     * Sends until the count or duration is reached or {@link #stop()} is called, and returns what was sent.
     *
     * @throws BusException when the queue refuses every call from the start (missing queue, no server)
     */
    public GeneratorSummary run() {
        int threads = o.threads();
        int devices = Math.max(o.devices(), threads);
        startNanos = System.nanoTime();
        lastSendNanos.set(startNanos);
        long endNanos = o.duration() == null ? 0 : startNanos + o.duration().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "generate-" + Thread.currentThread().getId());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = (int) ((long) devices * t / threads);
            int last = (int) ((long) devices * (t + 1) / threads);
            int index = t;
            workers.add(pool.submit(() -> work(index, first, last - first, endNanos)));
        }
        pool.shutdown();
        long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Future<?> w : workers) {
                while (true) {
                    try {
                        w.get(1, TimeUnit.SECONDS);
                        break;
                    } catch (TimeoutException e) {
                        if (System.nanoTime() >= nextLog) {
                            nextLog += TimeUnit.SECONDS.toNanos(10);
                            double s = (System.nanoTime() - startNanos) / 1e9;
                            log.info("generate: {} events sent ({} events/s), {} failed", sent.sum(),
                                    Math.round(sent.sum() / s), failed.sum());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            stop();
            pool.shutdownNow();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return summary();
    }

    /** The counts so far. */
    public GeneratorSummary summary() {
        double seconds = Math.max(1e-9, (lastSendNanos.get() - startNanos) / 1e9);
        Map<String, Long> f = new LinkedHashMap<>();
        for (int i = 0; i < FAULTS.length; i++) {
            f.put(FAULTS[i], faults[i].sum());
        }
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < Malformer.REASONS.length; i++) {
            m.put(Malformer.REASONS[i].code(), malformed[i].sum());
        }
        long s = sent.sum();
        return new GeneratorSummary(s, failed.sum(), messages.sum(), f, m,
                Math.round(seconds * 1000) / 1000.0, Math.round(s / seconds * 10) / 10.0);
    }

    /**
     * One outgoing message and what it carries.
     *
     * @param faultCounts per kind of {@link #FAULTS}, how many of its events are that fault
     * @param malformedReason index into {@link Malformer#REASONS}, or -1
     * @param validLines the valid events in it, for later duplicates
     */
    private record Out(String body, int events, int[] faultCounts, int malformedReason, List<String> validLines) {

        static Out single(String body, int fault, int malformedReason, List<String> validLines) {
            int[] counts = new int[FAULTS.length];
            if (fault >= 0) {
                counts[fault] = 1;
            }
            return new Out(body, 1, counts, malformedReason, validLines);
        }
    }

    private int chunkSize() {
        int full = EventBus.MAX_BATCH * o.pack();
        // At low rates, small chunks keep the flow smooth instead of a burst every few seconds.
        return o.rate() == 0 ? full : (int) Math.max(1, Math.min(full, o.rate() / 50));
    }

    private void work(int thread, int firstDevice, int deviceCount, long endNanos) {
        EventSimulator sim = new EventSimulator(firstDevice, deviceCount, o.populationSeed(),
                o.eventSeed() * 31 + thread, o.androidShare(), o.funnelConversion(), clock);
        SplittableRandom r = sim.random();
        List<String> history = new ArrayList<>();
        int malformedCursor = thread;
        int chunk = chunkSize();
        while (!stopRequested) {
            long first = tickets.getAndAdd(chunk);
            int n = chunk;
            if (o.count() >= 0) {
                if (first >= o.count()) {
                    return;
                }
                n = (int) Math.min(chunk, o.count() - first);
            }
            if (o.rate() > 0) {
                long due = startNanos + (long) (first * 1e9 / o.rate());
                if (endNanos != 0 && due >= endNanos) {
                    return;
                }
                if (!sleepUntil(due)) {
                    return;
                }
            } else if (endNanos != 0 && System.nanoTime() >= endNanos) {
                return;
            }
            List<Out> outs = new ArrayList<>(n);
            List<String> pack = new ArrayList<>(o.pack());
            int[] packFaults = new int[FAULTS.length];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble();
                FaultRates f = o.faults();
                if (u < f.duplicate()) {
                    if (history.isEmpty()) {
                        // Nothing sent yet to repeat: a fresh valid event, never a draw that falls into the next fault.
                        addLine(outs, pack, packFaults, body(sim.next(false), r), -1, true);
                    } else {
                        addLine(outs, pack, packFaults, history.get(r.nextInt(history.size())), 0, false);
                    }
                } else if (u < f.duplicate() + f.malformed()) {
                    int reason = malformedCursor++ % Malformer.REASONS.length;
                    String body = Malformer.body(Malformer.REASONS[reason], body(sim.next(false), r), r);
                    outs.add(Out.single(body, 1, reason, List.of()));
                } else if (u < f.duplicate() + f.malformed() + f.late()) {
                    addLine(outs, pack, packFaults, body(sim.next(true), r), 2, true);
                } else if (u < f.duplicate() + f.malformed() + f.late() + f.oversize()) {
                    int target = Math.min(codec.maxEventBytes() + 1 + r.nextInt(1024), EventBus.MAX_BATCH_BYTES - 1024);
                    outs.add(Out.single(Malformer.oversize(body(sim.next(false), r), target, r), 3, -1, List.of()));
                } else {
                    addLine(outs, pack, packFaults, body(sim.next(false), r), -1, true);
                }
                if (pack.size() == o.pack()) {
                    flushPack(outs, pack, packFaults);
                }
            }
            flushPack(outs, pack, packFaults);
            sendAll(outs, history, r);
        }
    }

    private String body(Event e, SplittableRandom r) {
        return o.format().body(e, codec, r);
    }

    private void addLine(List<Out> outs, List<String> pack, int[] packFaults, String line, int fault, boolean valid) {
        if (o.pack() == 1) {
            outs.add(Out.single(line, fault, -1, valid ? List.of(line) : List.of()));
            return;
        }
        pack.add(line);
        if (fault >= 0) {
            packFaults[fault]++;
        }
    }

    private void flushPack(List<Out> outs, List<String> pack, int[] packFaults) {
        if (pack.isEmpty()) {
            return;
        }
        List<String> lines = List.copyOf(pack);
        outs.add(new Out(EventCodec.pack(lines), lines.size(), packFaults.clone(), -1, lines));
        pack.clear();
        Arrays.fill(packFaults, 0);
    }

    /** Sends {@code outs} in batches of at most 10 messages and 256 KiB. */
    private void sendAll(List<Out> outs, List<String> history, SplittableRandom r) {
        int from = 0;
        while (from < outs.size()) {
            int to = from;
            long bytes = 0;
            while (to < outs.size() && to - from < EventBus.MAX_BATCH) {
                String body = outs.get(to).body();
                // A char is at most 3 UTF-8 bytes: count exactly only when that bound could matter.
                int size = body.length() < 8_192 ? 3 * body.length() : EventCodec.utf8Length(body);
                if (to > from && bytes + size > EventBus.MAX_BATCH_BYTES) {
                    break;
                }
                bytes += size;
                to++;
            }
            List<Out> batch = outs.subList(from, to);
            List<String> bodies = new ArrayList<>(batch.size());
            for (Out out : batch) {
                bodies.add(out.body());
            }
            boolean[] refused = new boolean[batch.size()];
            try {
                SendResult result = bus.send(bodies);
                for (SendResult.Failure f : result.failed()) {
                    refused[f.index()] = true;
                    log.warn("The queue refused a message: {} {}", f.code(), f.message());
                }
            } catch (BusException e) {
                Arrays.fill(refused, true);
                log.warn("Sending {} messages failed: {}", batch.size(), e.getMessage());
                if (!e.retriable()) {
                    throw e;
                }
            }
            lastSendNanos.accumulateAndGet(System.nanoTime(), Math::max);
            for (int i = 0; i < batch.size(); i++) {
                Out out = batch.get(i);
                if (refused[i]) {
                    failed.add(out.events());
                    continue;
                }
                sent.add(out.events());
                messages.increment();
                for (int k = 0; k < FAULTS.length; k++) {
                    faults[k].add(out.faultCounts()[k]);
                }
                if (out.malformedReason() >= 0) {
                    malformed[out.malformedReason()].increment();
                }
                for (String line : out.validLines()) {
                    remember(history, line, r);
                }
            }
            from = to;
        }
    }

    private static void remember(List<String> history, String line, SplittableRandom r) {
        if (history.size() < HISTORY) {
            history.add(line);
        } else {
            history.set(r.nextInt(HISTORY), line);
        }
    }

    /** Sleeps until {@code due} (System.nanoTime); false when a stop came first. */
    private boolean sleepUntil(long due) {
        while (!stopRequested) {
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(wait, 50_000_000L));
        }
        return false;
    }
}
