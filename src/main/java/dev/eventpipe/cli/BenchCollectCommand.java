package dev.eventpipe.cli;

import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.bench.CollectorProcess;
import dev.eventpipe.bench.HttpLoad;
import dev.eventpipe.bench.SegmentCalls;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench collect}: the collector (in its own JVM) under a load generator on the same
 * machine, next to the fastest way into SQS we have, on the same queue server in the same run.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"The collector (eventpipe collect, in a child JVM) driven over keep-alive connections: /v1/batch",
                "bodies of 100 realistic events (events/s, p50/p99), single-event /v1/track requests (requests/s, p99),",
                "then each at half its peak rate (p99); beside the raw limit: generate --rate 0 --pack 100 on the same",
                "ElasticMQ in the same run, in rounds that alternate with the batch phase (the ratio is their median)."})
final class BenchCollectCommand implements Callable<Integer> {

    private static final String KEY = "bench-key";

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S", description = "Length of each phase; the raw and the batch phases are split into the rounds (default: ${DEFAULT-VALUE}).")
    private int seconds = 30;

    /**
     * The raw side and the batch side take turns, each warmed up first: the queue server's speed drifts
     * over a run (its JIT, its heap), and measured once each, cold raw first, the ratio moved by 0.2
     * between runs of the same build while the batch figure stayed within 1 %.
     */
    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of raw then batch; the ratio is the median of the rounds' (default: ${DEFAULT-VALUE}).")
    private int rounds = 3;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Warm-up of the collector and the server first (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = 30;

    /**
     * Enough to keep the collector busy: each request waits for the queue to take its events, so with 8
     * connections the batch side used about 1.5 of the 2 cores (the rest idle while every connection
     * waited on one SQS call) and measured the round trip, not the capacity. At 32, the calls carry
     * about 700 events instead of 370, and the machine is busy; 64 measured the same.
     */
    @Option(names = "--batch-connections", paramLabel = "N", description = "Connections posting batches (default: ${DEFAULT-VALUE}).")
    private int batchConnections = 32;

    /**
     * Single-event requests come from many devices, each with its request open until the queue took its
     * event: a closed loop of few connections measures their round trip, not the collector's capacity.
     */
    @Option(names = "--single-connections", paramLabel = "N", description = "Connections posting single events (default: ${DEFAULT-VALUE}).")
    private int singleConnections = 128;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of generate --rate 0 --pack 100 (default: ${DEFAULT-VALUE}).")
    private int threads = 8;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Use this SQS-compatible server instead of starting ElasticMQ.")
    private String endpoint;

    /**
     * The figures.
     *
     * @param raw    events/s of the raw side, all rounds together
     * @param ratios each round's batch events/s over its raw events/s
     */
    record Result(double raw, List<Double> ratios, HttpLoad.Result batch, HttpLoad.Result single, HttpLoad.Result batchHalf,
            HttpLoad.Result singleHalf) {
        double ratio() {
            List<Double> sorted = ratios.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || warmupSeconds < 0 || rounds < 1 || batchConnections < 1 || singleConnections < 1 || threads < 1) {
            throw CommandException.usage("--seconds, --rounds, --batch-connections, --single-connections and --threads must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BenchEnvironment env = BenchEnvironment.start(bench.root.env(), endpoint)) {
            Result r = measure(env, out);
            out.println();
            FigureTable.header(out);
            FigureTable.figure(out, "raw: generate --rate 0 --pack 100, " + threads + " threads (events/s)", r.raw());
            FigureTable.figure(out, "collector /v1/batch, 100 events a request, " + batchConnections + " connections (events/s)",
                    r.batch().perSecond() * 100);
            FigureTable.ratio(out, "collector batch / raw, median of " + rounds + " rounds ("
                    + r.ratios().stream().map(x -> String.format("%.2f", x)).collect(java.util.stream.Collectors.joining(" ")) + ")", r.ratio(), 0.7);
            FigureTable.figure(out, "  batch request latency p50 / p99 (ms)", String.format("%.1f / %.1f", r.batch().quantileMillis(0.5),
                    r.batch().quantileMillis(0.99)));
            FigureTable.checked(out, "collector /v1/track, one event a request, " + singleConnections + " connections (requests/s)",
                    String.format("%,.0f", r.single().perSecond()), ">= 5,000", r.single().perSecond() >= 5000, "BELOW");
            FigureTable.figure(out, "  single request latency p50 / p99 (ms)", String.format("%.1f / %.1f", r.single().quantileMillis(0.5),
                    r.single().quantileMillis(0.99)));
            halfRate(out, "/v1/batch at half its peak", r.batchHalf());
            halfRate(out, "/v1/track at half its peak", r.singleHalf());
            out.flush();
        }
        return EventPipe.EXIT_OK;
    }

    private static void halfRate(PrintWriter out, String label, HttpLoad.Result r) {
        double p99 = r.quantileMillis(0.99);
        FigureTable.checked(out, label + String.format(" (%,.0f requests/s, %d failed): p99 ms", r.perSecond(), r.failed()),
                String.format("%.1f", p99), "<= 100", p99 <= 100, "ABOVE");
    }

    private Result measure(BenchEnvironment env, PrintWriter out) throws Exception {
        out.printf("bench collect: server %s, %d s phases, %d cores%n", env.describe(), seconds, Runtime.getRuntime().availableProcessors());
        out.flush();
        List<Event> events = Generator.sample(20_000, options(0, null, 1), Clock.systemUTC());
        List<byte[]> batchRequests = new ArrayList<>();
        for (byte[] body : SegmentCalls.batches(events, 100, 200)) {
            batchRequests.add(HttpLoad.post("/v1/batch", "Authorization: " + basic() + "\r\n", body));
        }
        List<byte[]> singleRequests = new ArrayList<>();
        for (byte[] body : SegmentCalls.singles(events)) {
            singleRequests.add(HttpLoad.post("/v1/track", "Authorization: " + basic() + "\r\n", body));
        }
        out.printf("  bodies: %,d bytes a batch of 100, %,d bytes a single event (averages)%n",
                batchRequests.stream().mapToInt(b -> b.length).sum() / batchRequests.size(),
                singleRequests.stream().mapToInt(b -> b.length).sum() / singleRequests.size());

        Duration round = Duration.ofMillis(Math.max(1000, seconds * 1000L / rounds));
        if (warmupSeconds > 0) {
            out.printf("  warming up the raw side for %d s...%n", (warmupSeconds + 1) / 2);
            out.flush();
            raw(env, "bench-collect-raw", Duration.ofSeconds((warmupSeconds + 1) / 2));
        }
        String queue = "bench-collect";
        env.createQueues(queue);
        try (CollectorProcess collector = CollectorProcess.start(Files.createTempFile("eventpipe-bench-collect", ".log"), Map.of(
                "EVENTPIPE_AWS_ENDPOINT", env.url(), "EVENTPIPE_AWS_SQS_NAME", queue, "EVENTPIPE_COLLECTOR_WRITE_KEYS", KEY))) {
            HttpLoad batches = new HttpLoad("127.0.0.1", collector.port(), batchRequests);
            HttpLoad singles = new HttpLoad("127.0.0.1", collector.port(), singleRequests);
            if (warmupSeconds > 0) {
                out.printf("  warming up for %d s...%n", warmupSeconds);
                out.flush();
                batches.closedLoop(batchConnections, Duration.ofSeconds((warmupSeconds + 1) / 2));
                singles.closedLoop(singleConnections, Duration.ofSeconds((warmupSeconds + 1) / 2));
            }
            long cpuNanos = 0;
            double rawEvents = 0;
            double rawSeconds = 0;
            List<Double> ratios = new ArrayList<>();
            HttpLoad.Result batch = null;
            for (int i = 1; i <= rounds; i++) {
                BenchEnvironment.CpuMeter rawCpu = env.cpu();
                double raw = raw(env, "bench-collect-raw", round);
                String rawSplit = rawCpu.perItem((long) (raw * round.toMillis() / 1000.0));
                BenchEnvironment.CpuMeter batchCpu = env.cpu();
                long cpu0 = collector.cpuNanos();
                HttpLoad.Result b = batches.closedLoop(batchConnections, round);
                long roundCpu = collector.cpuNanos() - cpu0;
                cpuNanos += roundCpu;
                ratios.add(b.perSecond() * 100 / raw);
                rawEvents += raw * round.toMillis() / 1000.0;
                rawSeconds += round.toMillis() / 1000.0;
                batch = batch == null ? b : batch.plus(b);
                out.printf("  round %d: raw %,.0f events/s, /v1/batch %,.0f events/s: %.2f%n", i, raw, b.perSecond() * 100, ratios.get(i - 1));
                // Where the machine's CPU went per event: on 2 cores every side's share counts against the others.
                out.printf("    cpu/event: raw (generate in this JVM, server) %s; batch (load generator in this JVM, server) %s, collector %.0f us%n",
                        rawSplit.replace("cpu/msg: ", ""), batchCpu.perItem(b.ok() * 100).replace("cpu/msg: ", ""),
                        roundCpu / 1e3 / Math.max(1, b.ok() * 100));
                out.flush();
            }
            double raw = rawEvents / rawSeconds;
            out.printf("  raw: generate --rate 0 --pack 100: %,.0f events/s%n", raw);
            out.printf("  /v1/batch: %,.0f events/s (%,.0f requests/s, %d failed), p50 %.1f ms, p99 %.1f ms, collector cpu %.0f us/event%n",
                    batch.perSecond() * 100, batch.perSecond(), batch.failed(), batch.quantileMillis(0.5), batch.quantileMillis(0.99),
                    cpuNanos / 1e3 / Math.max(1, batch.ok() * 100));
            out.flush();
            long cpu0 = collector.cpuNanos();
            HttpLoad.Result single = singles.closedLoop(singleConnections, Duration.ofSeconds(seconds));
            out.printf("  /v1/track: %,.0f requests/s (%d failed), p50 %.1f ms, p99 %.1f ms, collector cpu %.0f us/request%n",
                    single.perSecond(), single.failed(), single.quantileMillis(0.5), single.quantileMillis(0.99),
                    (collector.cpuNanos() - cpu0) / 1e3 / Math.max(1, single.ok()));
            out.flush();
            HttpLoad.Result batchHalf = batches.openLoop(batchConnections * 2, Duration.ofSeconds(seconds), batch.perSecond() / 2);
            out.printf("  /v1/batch at %,.0f requests/s: p50 %.1f ms, p99 %.1f ms%n", batch.perSecond() / 2,
                    batchHalf.quantileMillis(0.5), batchHalf.quantileMillis(0.99));
            out.flush();
            HttpLoad.Result singleHalf = singles.openLoop(singleConnections * 2, Duration.ofSeconds(seconds), single.perSecond() / 2);
            out.printf("  /v1/track at %,.0f requests/s: p50 %.1f ms, p99 %.1f ms%n", single.perSecond() / 2,
                    singleHalf.quantileMillis(0.5), singleHalf.quantileMillis(0.99));
            out.flush();
            return new Result(raw, ratios, batch, single, batchHalf, singleHalf);
        } finally {
            env.deleteQueues(queue);
        }
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private GeneratorOptions options(long rate, Duration d, int pack) {
        return new GeneratorOptions(rate, -1, d, threads, pack, FaultRates.NONE, 2000, 0.4, 0.6, 1L, System.nanoTime(), 32_768);
    }

    /** generate --rate 0 --pack 100 on a fresh queue: events/s. */
    private double raw(BenchEnvironment env, String queue, Duration time) {
        env.createQueues(queue);
        Settings s = env.settings(queue);
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), threads + 2), s.aws())) {
            return new Generator(bus, new EventCodec(32_768), options(0, time, 100), Clock.systemUTC()).run().eventsPerSec();
        } finally {
            env.deleteQueues(queue);
        }
    }
}
