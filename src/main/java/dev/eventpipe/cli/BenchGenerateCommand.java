package dev.eventpipe.cli;

import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.bench.RawSqs;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.generate.GeneratorSummary;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code eventpipe bench generate}: the simulator against a raw SendMessageBatch loop on one
 * ElasticMQ, and the accuracy of a fixed rate.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Simulator throughput (generate --rate 0) divided by a raw SendMessageBatch loop of prebuilt",
                "800-byte event bodies with the same threads, on one ElasticMQ started for the run;",
                "then the achieved rate of --rate N."})
final class BenchGenerateCommand implements Callable<Integer> {

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", description = "Client threads for both loops (default: ${DEFAULT-VALUE}).")
    private int threads = 8;

    @Option(names = "--seconds", paramLabel = "S", description = "Length of each throughput phase (default: ${DEFAULT-VALUE}).")
    private int seconds = 10;

    @Option(names = "--rounds", paramLabel = "N", description = "Alternating raw/generate rounds; the medians are compared (default: ${DEFAULT-VALUE}).")
    private int rounds = 5;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Warm-up of server and client before measuring (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = 60;

    @Option(names = "--rate", paramLabel = "N", description = "Rate to check for accuracy (default: ${DEFAULT-VALUE}).")
    private long rate = 1000;

    @Option(names = "--rate-seconds", paramLabel = "S", description = "Length of the rate check (default: ${DEFAULT-VALUE}).")
    private int rateSeconds = 30;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Use this SQS-compatible server instead of starting ElasticMQ.")
    private String endpoint;

    @Option(names = "--process-events", paramLabel = "N", description = "Events for the whole-process comparison: a fresh"
            + " generate process against a raw SendMessageBatch loop (default: ${DEFAULT-VALUE}; 0 skips it).")
    private int processEvents = 100_000;

    /** A fresh {@code generate --rate 0 --count N} process (wall time, JVM start included) against a raw loop sending N. */
    record Process(int events, double raw, double rawProcess, double generate) {
        /** Process against process: both start a JVM and warm a client. */
        double ratio() {
            return generate / rawProcess;
        }
    }

    /** The figures, for the combined report. */
    record Result(double raw, double generate, double avgEventBytes, double paced, long rate, int rateSeconds, Process process) {
        double ratio() {
            return generate / raw;
        }

        double deviation() {
            return (paced - rate) / rate;
        }
    }

    /** Short phases, for checking that bench all works. */
    static BenchGenerateCommand quick() {
        BenchGenerateCommand c = new BenchGenerateCommand();
        c.seconds = 2;
        c.rounds = 1;
        c.warmupSeconds = 0;
        c.rateSeconds = 3;
        c.processEvents = 3_000;
        return c;
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || seconds < 1 || rounds < 1 || rate < 1 || rateSeconds < 1 || warmupSeconds < 0) {
            throw CommandException.usage("--threads, --seconds, --rounds, --rate and --rate-seconds must be 1 or more");
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
        FigureTable.figure(out, "raw SendMessageBatch, prebuilt 800-byte events (msg/s)", r.raw());
        FigureTable.figure(out, String.format("generate --rate 0, %.0f-byte events (events/s)", r.avgEventBytes()), r.generate());
        FigureTable.ratio(out, "generate / raw", r.ratio(), 0.85);
        FigureTable.figure(out, "generate --rate " + r.rate() + " for " + r.rateSeconds() + " s (events/s)", String.format("%,.1f", r.paced()));
        FigureTable.checked(out, "deviation from " + r.rate(), String.format("%+.2f%%", r.deviation() * 100), "within 2%",
                Math.abs(r.deviation()) <= 0.02, "OUTSIDE");
        if (r.process() != null) {
            FigureTable.figure(out, String.format("process: raw SendMessageBatch of %,d in the bench's warm JVM (msg/s)",
                    r.process().events()), r.process().raw());
            FigureTable.figure(out, "process: raw SendMessageBatch as a fresh process (msg/s, wall)", r.process().rawProcess());
            FigureTable.figure(out, "process: fresh generate --rate 0 --count (events/s, wall)", r.process().generate());
            FigureTable.figure(out, "process: generate process / warm raw loop", String.format("%.2f", r.process().generate()
                    / r.process().raw()));
            FigureTable.ratio(out, "process: generate process / raw process", r.process().ratio(), 0.85);
        }
    }

    Result measure(BenchEnvironment env, PrintWriter out) throws Exception {
        out.printf("bench generate: server %s, %d client threads, %d s phases, %d rounds, %d cores%n", env.describe(),
                threads, seconds, rounds, Runtime.getRuntime().availableProcessors());
        out.flush();
        EventCodec codec = new EventCodec(32_768);
        // What generate sends by default: the original prototype's bodies.
        List<String> sample = Generator.sampleBodies(2000, options(0, null), Clock.systemUTC());
        double avgEvent = sample.stream().mapToInt(String::length).average().orElse(0);
        List<String> rawBodies = RawSqs.bodies(sample, 800, 2000);
        try (SqsClient sqs = SqsClients.create(env.settings("bench").aws(), threads + 2)) {
            // ElasticMQ's throughput climbs for tens of seconds while its JIT compiles: warm both paths first.
            if (warmupSeconds > 0) {
                out.printf("  warming up for %d s...%n", warmupSeconds);
                out.flush();
                raw(env, sqs, "bench-warmup-raw", Duration.ofSeconds(Math.max(1, warmupSeconds / 2)), rawBodies);
                generate(env, "bench-warmup-gen", options(0, Duration.ofSeconds(Math.max(1, warmupSeconds / 2))));
            }
            double[] rawRates = new double[rounds];
            double[] genRates = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                BenchEnvironment.CpuMeter cpu = env.cpu();
                rawRates[i] = raw(env, sqs, "bench-raw-" + i, Duration.ofSeconds(seconds), rawBodies);
                String rawCpu = cpu.perItem(Math.round(rawRates[i] * seconds));
                cpu = env.cpu();
                genRates[i] = generate(env, "bench-gen-" + i, options(0, Duration.ofSeconds(seconds))).eventsPerSec();
                String genCpu = cpu.perItem(Math.round(genRates[i] * seconds));
                out.printf("  round %d: raw SendMessageBatch %,.0f msg/s (%s), generate --rate 0 %,.0f events/s (%s)%n",
                        i + 1, rawRates[i], rawCpu, genRates[i], genCpu);
                out.flush();
            }
            GeneratorSummary paced = generate(env, "bench-rate", options(rate, Duration.ofSeconds(rateSeconds)));
            Process process = processEvents > 0 ? process(env, sqs, out) : null;
            return new Result(BenchEnvironment.median(rawRates), BenchEnvironment.median(genRates), avgEvent,
                    paced.eventsPerSec(), rate, rateSeconds, process);
        }
    }

    /**
     * As users run it: a raw loop sends {@code processEvents} prebuilt bodies, then a fresh
     * {@code generate --rate 0 --count} process sends as many (its wall time, JVM start included).
     */
    private Process process(BenchEnvironment env, SqsClient sqs, PrintWriter out) throws Exception {
        List<String> bodies = Generator.sampleBodies(processEvents, options(0, null), Clock.systemUTC());
        String rawQueue = "bench-process-raw";
        String url = env.createQueues(rawQueue);
        double raw;
        try {
            long t0 = System.nanoTime();
            RawSqs.fill(sqs, url, bodies, threads);
            raw = processEvents / ((System.nanoTime() - t0) / 1e9);
        } finally {
            env.deleteQueues(rawQueue);
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("eventpipe-bench-generate");
        // The raw loop as a whole process too, as generate runs: JVM start and a cold client on both sides.
        double rawProcess;
        String rawProcessQueue = "bench-process-raw-process";
        env.createQueues(rawProcessQueue);
        try {
            java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("bodies.txt"), bodies);
            // With the JVM flags of the generate process it is held against.
            dev.eventpipe.bench.ChildCommand.Outcome o = dev.eventpipe.bench.ChildCommand.runMain(dir,
                    java.util.Map.of("EVENTPIPE_AWS_ENDPOINT", env.url(), "EVENTPIPE_AWS_SQS_NAME", rawProcessQueue),
                    dev.eventpipe.bench.LauncherFlags.forCommand("generate", "--rate", "0", "--count", Integer.toString(processEvents)),
                    "dev.eventpipe.bench.RawProcess", "send", file.toString(), Integer.toString(threads));
            if (o.exitCode() != 0) {
                throw CommandException.failure("the raw send process failed; see " + o.log());
            }
            rawProcess = processEvents / o.seconds();
        } finally {
            env.deleteQueues(rawProcessQueue);
        }
        String queue = "bench-process-gen";
        env.createQueues(queue);
        try {
            dev.eventpipe.bench.ChildCommand.Outcome o = dev.eventpipe.bench.ChildCommand.run(dir,
                    java.util.Map.of("EVENTPIPE_AWS_ENDPOINT", env.url(), "EVENTPIPE_AWS_SQS_NAME", queue,
                            "EVENTPIPE_GENERATE_THREADS", Integer.toString(threads)),
                    "generate", "--rate", "0", "--count", Integer.toString(processEvents));
            if (o.exitCode() != 0) {
                throw CommandException.failure("the generate process failed; see " + o.log());
            }
            double gen = processEvents / o.seconds();
            out.printf("  process: raw SendMessageBatch in this warm JVM %,.0f msg/s; raw process %,.0f msg/s; fresh generate process"
                    + " %,.0f events/s over its %.1f s%n", raw, rawProcess, gen, o.seconds());
            out.flush();
            return new Process(processEvents, raw, rawProcess, gen);
        } finally {
            env.deleteQueues(queue);
        }
    }

    private GeneratorOptions options(long r, Duration d) {
        return new GeneratorOptions(r, -1, d, threads, 1, FaultRates.NONE, 2000, 0.4, 0.6, 1L, System.nanoTime(), 32_768);
    }

    private double raw(BenchEnvironment env, SqsClient sqs, String queue, Duration time, List<String> bodies) throws Exception {
        String queueUrl = env.createQueues(queue);
        try {
            return RawSqs.send(sqs, queueUrl, threads, time, bodies);
        } finally {
            env.deleteQueues(queue);
        }
    }

    private GeneratorSummary generate(BenchEnvironment env, String queue, GeneratorOptions options) {
        env.createQueues(queue);
        Settings s = env.settings(queue);
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), options.threads() + 2), s.aws())) {
            return new Generator(bus, new EventCodec(32_768), options, Clock.systemUTC()).run();
        } finally {
            env.deleteQueues(queue);
        }
    }
}
