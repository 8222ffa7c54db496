package dev.eventpipe.cli;

import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.bench.ChildCommand;
import dev.eventpipe.bench.LauncherFlags;
import dev.eventpipe.bench.ProcessMemory;
import dev.eventpipe.bench.RawSqs;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.ingest.Consumer;
import dev.eventpipe.ingest.ConsumerOptions;
import dev.eventpipe.ingest.ConsumerSummary;
import dev.eventpipe.store.LocalObjectStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code eventpipe bench consume}: the consumer draining a full queue against a raw
 * ReceiveMessage + DeleteMessageBatch loop on the same ElasticMQ; packed messages; peak memory.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"consume --until-empty draining N queued ~800-byte events (events/s) divided by a raw",
                "ReceiveMessage + DeleteMessageBatch loop's msg/s with the same threads, on one ElasticMQ started",
                "for the run; then the same with packed messages; then the peak RSS of a consume process",
                "draining --rss-events events."})
final class BenchConsumeCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", description = "Pollers, and raw loop threads (default: ${DEFAULT-VALUE}).")
    private int threads = 8;

    @Option(names = "--events", paramLabel = "N", description = "Events queued for each drain (default: ${DEFAULT-VALUE}).")
    private int events = 50_000;

    @Option(names = "--rounds", paramLabel = "N", description = "Alternating raw/consume rounds; medians compared (default: ${DEFAULT-VALUE}).")
    private int rounds = 3;

    @Option(names = "--pack", paramLabel = "N", description = "Events per message in the packed drain (default: ${DEFAULT-VALUE}).")
    private int pack = 100;

    @Option(names = "--rss-events", paramLabel = "N", description = "Events for the memory check (default: ${DEFAULT-VALUE}; 0 skips it).")
    private int rssEvents = 100_000;

    @Option(names = "--warmup-events", paramLabel = "N", description = "Events drained by each path before measuring (default: ${DEFAULT-VALUE}).")
    private int warmupEvents = 40_000;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Use this SQS-compatible server instead of starting ElasticMQ.")
    private String endpoint;

    @Option(names = "--cold-events", paramLabel = "N", description = "Backlog for the cold drain: a fresh consume process"
            + " against a raw loop (default: ${DEFAULT-VALUE}; 0 skips it).")
    private int coldEvents = 200_000;

    @Option(names = "--cold-rounds", paramLabel = "N", description = "Alternating raw-process/consume-process rounds of the"
            + " cold drain; the median of their ratios (default: ${DEFAULT-VALUE}).")
    private int coldRounds = 3;

    @Option(names = "--cold-pollers", paramLabel = "N", description = "Pollers of the cold-drain consume process (default: ${DEFAULT-VALUE}).")
    private int coldPollers = 8;

    @Option(names = "--cold-max-inflight", paramLabel = "N", description = "[consumer] max_inflight_messages of the cold-drain"
            + " process (default: the settings').")
    private Integer coldMaxInflight;

    record Result(double raw, double consume, double packed, int pack, long peakRss, int rssEvents, int events, Cold cold) {
        double ratio() {
            return consume / raw;
        }
    }

    /**
     * A backlog drained by a fresh {@code consume --until-empty} process (events over its whole life, JVM start
     * included) against a raw receive+delete loop on the same server in the same run.
     */
    record Cold(int events, int pollers, int rounds, double raw, double rawProcess, double consume, double consumeOwn,
                double ratio, Cpu cpu) {
    }

    /**
     * CPU time per message of the cold drain's processes and of the queue server while each ran (medians of the
     * rounds, microseconds), and the median of the rounds' consume/raw ratios of the processes' own CPU time. On
     * a machine the server shares, every CPU-second the consumer spends beyond the SDK's calls shows in its wall
     * time; this figure does not move with the machine's speed from run to run as the wall-time ratio does.
     */
    record Cpu(double rawUs, double rawServerUs, double consumeUs, double consumeServerUs, double ratio) {
    }

    /** One process of the cold drain: its messages per second over its wall time, its CPU time and the server's. */
    private record Drain(double rate, double cpuSeconds, double serverCpuSeconds, double ownRate) {
    }

    /** Small drains, for checking that bench all works. */
    /** The cold drain's consumer with this in-flight bound (bench all passes the settings'). */
    BenchConsumeCommand withColdMaxInflight(int n) {
        coldMaxInflight = n;
        return this;
    }

    static BenchConsumeCommand quick() {
        BenchConsumeCommand c = new BenchConsumeCommand();
        c.events = 3_000;
        c.rounds = 1;
        c.rssEvents = 3_000;
        c.warmupEvents = 0;
        c.coldEvents = 3_000;
        c.coldRounds = 1;
        return c;
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || events < 1 || rounds < 1 || pack < 1 || rssEvents < 0 || warmupEvents < 0 || coldRounds < 1) {
            throw CommandException.usage("--threads, --events, --rounds, --cold-rounds and --pack must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BenchEnvironment env = BenchEnvironment.start(bench.root.env(), endpoint)) {
            Result r = measure(env, out);
            out.println();
            FigureTable.header(out);
            print(out, r);
            out.flush();
        }
        return EventPipe.EXIT_OK;
    }

    static void print(PrintWriter out, Result r) {
        FigureTable.figure(out, "raw ReceiveMessage+DeleteMessageBatch (msg/s)", r.raw());
        FigureTable.figure(out, String.format("consume --until-empty, %,d events (events/s)", r.events()), r.consume());
        FigureTable.ratio(out, "consume / raw", r.ratio(), 0.85);
        FigureTable.figure(out, "consume, " + r.pack() + " events per message (events/s)", r.packed());
        if (r.rssEvents() > 0) {
            FigureTable.checked(out, String.format("consume peak RSS draining %,d events (MB)", r.rssEvents()),
                    String.format("%,.0f", r.peakRss() / 1e6), "<= 300", r.peakRss() <= 300e6, "ABOVE");
        }
        if (r.cold() != null) {
            Cold c = r.cold();
            FigureTable.figure(out, String.format("cold: raw receive+delete loop in the bench's warm JVM, %,d backlog (msg/s)",
                    c.events()), c.raw());
            String median = c.rounds() > 1 ? String.format(", median of %d", c.rounds()) : "";
            FigureTable.figure(out, "cold: raw receive+delete as a fresh process (msg/s, wall" + median + ")", c.rawProcess());
            FigureTable.figure(out, String.format("cold: fresh consume process, %d pollers (events/s, wall%s)", c.pollers(), median),
                    c.consume());
            FigureTable.figure(out, "cold: consume process / warm raw loop", String.format("%.2f", c.consume() / c.raw()));
            FigureTable.ratio(out, "cold: consume process / raw process" + (c.rounds() > 1 ? " (median of the rounds')" : ""),
                    c.ratio(), 0.85);
            if (!Double.isNaN(c.cpu().ratio())) {
                FigureTable.figure(out, "cold: CPU per message, raw process / queue server meanwhile (us)",
                        microseconds(c.cpu().rawUs(), c.cpu().rawServerUs()));
                FigureTable.figure(out, "cold: CPU per message, consume process / queue server meanwhile (us)",
                        microseconds(c.cpu().consumeUs(), c.cpu().consumeServerUs()));
                FigureTable.figure(out, "cold: CPU per message, consume process / raw process", String.format("%.2f", c.cpu().ratio()));
            }
        }
    }

    /** "client / server", the server's as "-" when it is not a process of this bench. */
    private static String microseconds(double client, double server) {
        return String.format("%.0f / %s", client, Double.isNaN(server) ? "-" : String.format("%.0f", server));
    }

    Result measure(BenchEnvironment env, PrintWriter out) throws Exception {
        out.printf("bench consume: server %s, %d threads, %d events per drain, %d rounds, %d cores%n",
                env.describe(), threads, events, rounds, Runtime.getRuntime().availableProcessors());
        out.flush();
        EventCodec codec = new EventCodec(32_768);
        List<String> bodies = Generator.sample(Math.max(events, warmupEvents), new GeneratorOptions(0, -1, null, 1, 1,
                FaultRates.NONE, 2000, 0.4, 0.6, 1L, System.nanoTime(), 32_768), Clock.systemUTC())
                .stream().map(codec::toWireJson).toList();
        Path dfs = Files.createTempDirectory("eventpipe-bench-dfs");
        try (SqsClient sqs = SqsClients.create(env.settings("bench").aws(), threads + 2)) {
            if (warmupEvents > 0) {
                out.printf("  warming up with %,d events on each path...%n", warmupEvents);
                out.flush();
                raw(env, sqs, "bench-warm-raw", bodies.subList(0, warmupEvents), new String[1]);
                consume(env, sqs, "bench-warm-consume", bodies.subList(0, warmupEvents), dfs, new String[1]);
            }
            double[] rawRates = new double[rounds];
            double[] ourRates = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                String[] rawCpu = new String[1];
                rawRates[i] = raw(env, sqs, "bench-raw-" + i, bodies.subList(0, events), rawCpu);
                String[] ourCpu = new String[1];
                ourRates[i] = consume(env, sqs, "bench-consume-" + i, bodies.subList(0, events), dfs, ourCpu).eventsPerSec();
                out.printf("  round %d: raw receive+delete %,.0f msg/s (%s), consume %,.0f events/s (%s)%n",
                        i + 1, rawRates[i], rawCpu[0], ourRates[i], ourCpu[0]);
                out.flush();
            }
            List<String> packed = new ArrayList<>();
            for (int from = 0; from < events; from += pack) {
                packed.add(EventCodec.pack(bodies.subList(from, Math.min(events, from + pack))));
            }
            ConsumerSummary p = consume(env, sqs, "bench-packed", packed, dfs, new String[1]);
            out.printf("  packed: %,d messages of %d events: %,.0f events/s%n", packed.size(), pack, p.eventsPerSec());
            long rss = rssEvents > 0 ? peakRss(env, sqs, codec, dfs, out) : 0;
            Cold cold = coldEvents > 0 ? cold(env, sqs, codec, dfs, out) : null;
            return new Result(BenchEnvironment.median(rawRates), BenchEnvironment.median(ourRates), p.eventsPerSec(),
                    pack, rss, rssEvents, events, cold);
        }
    }

    /** Fills a fresh queue, then drains it raw; {@code cpu[0]} gets the drain's CPU per message. */
    private double raw(BenchEnvironment env, SqsClient sqs, String queue, List<String> bodies, String[] cpu) throws Exception {
        String url = env.createQueues(queue);
        try {
            RawSqs.fill(sqs, url, bodies, threads);
            BenchEnvironment.CpuMeter meter = env.cpu();
            double rate = RawSqs.drain(sqs, url, threads, bodies.size(), 2);
            cpu[0] = meter.perItem(bodies.size());
            return rate;
        } finally {
            env.deleteQueues(queue);
        }
    }

    /** Fills a fresh queue, then drains it with the consumer; {@code cpu[0]} gets the drain's CPU per message. */
    private ConsumerSummary consume(BenchEnvironment env, SqsClient sqs, String queue, List<String> bodies, Path dfs,
                                    String[] cpu) throws Exception {
        String url = env.createQueues(queue);
        Settings s = env.settings(queue);
        // Connections as consume sizes them: a poller and a deleter per thread. With threads + 2, the deleters queued
        // for connections and the warm drain paid for it in the HTTP client (its receives and deletes took 30% more CPU).
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 2 * threads + 2), s.aws())) {
            RawSqs.fill(sqs, url, bodies, threads);
            ConsumerOptions o = new ConsumerOptions(threads, s.consumer().batchMaxEvents(), s.consumer().batchMaxBytes(),
                    Duration.ofSeconds(s.consumer().batchMaxAgeSeconds()), s.consumer().maxBufferedBytes(), 0,
                    Duration.ofSeconds(2), Duration.ofSeconds(s.aws().sqsVisibilityTimeout()), s.consumer().gzipLevel(),
                    "bench", true, Duration.ofMinutes(10), Duration.ofSeconds(10));
            Consumer c = new Consumer(bus, new LocalObjectStore(dfs.resolve(queue)), new EventCodec(32_768), o, Clock.systemUTC());
            BenchEnvironment.CpuMeter meter = env.cpu();
            ConsumerSummary summary = c.run();
            cpu[0] = meter.perItem(bodies.size());
            if (c.failure().isPresent()) {
                throw new IllegalStateException("the consumer failed: " + c.failure().get(), c.failure().get());
            }
            return summary;
        } finally {
            env.deleteQueues(queue);
        }
    }

    /**
     * The backlog after an outage: {@code coldEvents} queued, drained by a raw receive+delete loop, then by a raw
     * loop as a fresh process and by a fresh {@code consume --until-empty} process (each its wall time, JVM start
     * included), alternating for {@code coldRounds} rounds: the machine's speed drifts by more than the gap being
     * measured, so one pair alone gave 0.78 and 0.94 for the same build.
     */
    private Cold cold(BenchEnvironment env, SqsClient sqs, EventCodec codec, Path dfs, PrintWriter out) throws Exception {
        List<String> bodies = Generator.sampleBodies(coldEvents, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 2000,
                0.4, 0.6, 1L, System.nanoTime(), 32_768), Clock.systemUTC());
        out.printf("  cold drain: %,d events queued, then a raw loop, and %d rounds of a raw process and a fresh consume process"
                + " (%d pollers)...%n", coldEvents, coldRounds, coldPollers);
        out.flush();
        double raw;
        String rawQueue = "bench-cold-raw";
        String url = env.createQueues(rawQueue);
        try {
            RawSqs.fill(sqs, url, bodies, threads);
            raw = RawSqs.drain(sqs, url, coldPollers, bodies.size(), 2);
        } finally {
            env.deleteQueues(rawQueue);
        }
        // The consumer as the settings file configures it (the child runs in a folder with no settings.ini).
        int cap = coldMaxInflight != null ? coldMaxInflight
                : bench == null ? 0 : bench.root.settings().consumer().maxInflightMessages();
        out.printf("  cold drain: consume with [consumer] max_inflight_messages = %d%n", cap);
        double[] rawProcess = new double[coldRounds];
        double[] consume = new double[coldRounds];
        double[] own = new double[coldRounds];
        double[] ratios = new double[coldRounds];
        Drain[] raws = new Drain[coldRounds];
        Drain[] consumes = new Drain[coldRounds];
        for (int i = 0; i < coldRounds; i++) {
            Drain r = raws[i] = rawProcess(env, sqs, bodies, dfs, i);
            Drain c = consumes[i] = consumeProcess(env, sqs, bodies, dfs, cap, i);
            rawProcess[i] = r.rate();
            consume[i] = c.rate();
            own[i] = c.ownRate();
            ratios[i] = consume[i] / rawProcess[i];
            out.printf("  cold round %d: raw process %,.0f msg/s (%.1f s), consume process %,.0f events/s (%.1f s; its own count"
                    + " from start to last delete: %,.0f events/s): %.2f%n", i + 1, rawProcess[i], coldEvents / rawProcess[i],
                    consume[i], coldEvents / consume[i], own[i], ratios[i]);
            out.printf("    CPU: raw process %.1f s (queue server meanwhile %.1f s), consume process %.1f s (server %.1f s)%n",
                    r.cpuSeconds(), r.serverCpuSeconds(), c.cpuSeconds(), c.serverCpuSeconds());
            out.flush();
        }
        out.printf("  cold drain: raw loop in this warm JVM %,.0f msg/s%n", raw);
        // Process against process, both starting a JVM and warming a client; the median of the rounds' ratios, each
        // taken from two processes run back to back, so a drift of the machine's speed over the rounds cancels out.
        double perMessage = 1e6 / coldEvents;
        double[] cpuRatios = new double[coldRounds];
        for (int i = 0; i < coldRounds; i++) {
            cpuRatios[i] = consumes[i].cpuSeconds() / raws[i].cpuSeconds();
        }
        Cpu cpu = new Cpu(medianOf(raws, Drain::cpuSeconds) * perMessage, medianOf(raws, Drain::serverCpuSeconds) * perMessage,
                medianOf(consumes, Drain::cpuSeconds) * perMessage, medianOf(consumes, Drain::serverCpuSeconds) * perMessage,
                BenchEnvironment.median(cpuRatios));
        return new Cold(coldEvents, coldPollers, coldRounds, raw, BenchEnvironment.median(rawProcess),
                BenchEnvironment.median(consume), BenchEnvironment.median(own), BenchEnvironment.median(ratios), cpu);
    }

    private static double medianOf(Drain[] drains, java.util.function.ToDoubleFunction<Drain> figure) {
        return BenchEnvironment.median(java.util.Arrays.stream(drains).mapToDouble(figure).toArray());
    }

    /** The raw loop as a whole process, as consume runs: JVM start and a cold client on both sides. */
    private Drain rawProcess(BenchEnvironment env, SqsClient sqs, List<String> bodies, Path dfs, int round) throws Exception {
        String queue = "bench-cold-raw-process-" + round;
        String url = env.createQueues(queue);
        try {
            RawSqs.fill(sqs, url, bodies, threads);
            // With the JVM flags of the consume process it is held against.
            double server0 = env.serverCpuSeconds();
            ChildCommand.Outcome o = ChildCommand.runMain(dfs, Map.of("EVENTPIPE_AWS_ENDPOINT", env.url(),
                    "EVENTPIPE_AWS_SQS_NAME", queue), LauncherFlags.forCommand("consume", "--until-empty"),
                    "dev.eventpipe.bench.RawProcess", "drain",
                    Integer.toString(coldEvents), Integer.toString(coldPollers));
            if (o.exitCode() != 0) {
                throw CommandException.failure("the raw drain process failed; see " + o.log());
            }
            double rate = coldEvents / o.seconds();
            return new Drain(rate, o.cpuSeconds(), env.serverCpuSeconds() - server0, rate);
        } finally {
            env.deleteQueues(queue);
        }
    }

    /** A fresh {@code consume --until-empty} process: its events/s over its wall time, and by its own count. */
    private Drain consumeProcess(BenchEnvironment env, SqsClient sqs, List<String> bodies, Path dfs, int cap, int round)
            throws Exception {
        String queue = "bench-cold-" + round;
        String url = env.createQueues(queue);
        try {
            RawSqs.fill(sqs, url, bodies, threads);
            Path summary = dfs.resolve("cold-summary-" + round + ".json");
            Map<String, String> childEnv = new java.util.HashMap<>(Map.of("EVENTPIPE_AWS_ENDPOINT", env.url(),
                    "EVENTPIPE_AWS_SQS_NAME", queue, "EVENTPIPE_DFS_PATH", dfs.resolve("cold-" + round).toString()));
            childEnv.put("EVENTPIPE_CONSUMER_MAX_INFLIGHT_MESSAGES", Integer.toString(cap));
            double server0 = env.serverCpuSeconds();
            ChildCommand.Outcome o = ChildCommand.run(dfs, childEnv,
                    "consume", "--until-empty", "--pollers", Integer.toString(coldPollers), "--summary-json", summary.toString());
            if (o.exitCode() != 0) {
                throw CommandException.failure("the cold consume process failed; see " + o.log());
            }
            double own = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile()).path("events_per_sec").asDouble();
            return new Drain(coldEvents / o.seconds(), o.cpuSeconds(), env.serverCpuSeconds() - server0, own);
        } finally {
            env.deleteQueues(queue);
        }
    }

    /** Runs {@code eventpipe consume --until-empty} as its own process over N queued events; returns its peak RSS. */
    private long peakRss(BenchEnvironment env, SqsClient sqs, EventCodec codec, Path dfs, PrintWriter out) throws Exception {
        String queue = "bench-rss";
        String url = env.createQueues(queue);
        try {
            List<String> bodies = Generator.sample(rssEvents, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 2000,
                    0.4, 0.6, 1L, System.nanoTime(), 32_768), Clock.systemUTC()).stream().map(codec::toWireJson).toList();
            RawSqs.fill(sqs, url, bodies, threads);
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            String[] args = {"consume", "--until-empty", "--pollers", Integer.toString(threads)};
            cmd.addAll(LauncherFlags.forCommand(args));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.eventpipe.cli.EventPipe"));
            cmd.addAll(List.of(args));
            Path log = Files.createTempFile("eventpipe-bench-consume", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dfs.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
            pb.environment().putAll(Map.of("EVENTPIPE_AWS_ENDPOINT", env.url(), "EVENTPIPE_AWS_SQS_NAME", queue,
                    "EVENTPIPE_DFS_PATH", dfs.resolve("rss").toString()));
            Process p = pb.start();
            long peak = 0;
            while (p.isAlive()) {
                peak = Math.max(peak, ProcessMemory.peakRss(p.pid()));
                Thread.sleep(100);
            }
            if (p.exitValue() != 0) {
                throw CommandException.failure("the consume process failed; see " + log);
            }
            out.printf("  memory: consume --until-empty drained %,d events, peak RSS %,.0f MB (JVM flags %s)%n",
                    rssEvents, peak / 1e6, String.join(" ", LauncherFlags.forCommand("consume", "--until-empty")));
            return peak;
        } finally {
            env.deleteQueues(queue);
        }
    }
}
