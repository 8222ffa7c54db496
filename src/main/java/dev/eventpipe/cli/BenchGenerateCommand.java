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

    /** The figures, for the combined report. */
    record Result(double raw, double generate, double avgEventBytes, double paced, long rate, int rateSeconds) {
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
    }

    Result measure(BenchEnvironment env, PrintWriter out) throws Exception {
        out.printf("bench generate: server %s, %d client threads, %d s phases, %d rounds, %d cores%n", env.describe(),
                threads, seconds, rounds, Runtime.getRuntime().availableProcessors());
        out.flush();
        EventCodec codec = new EventCodec(32_768);
        List<String> sample = Generator.sample(2000, options(0, null), Clock.systemUTC()).stream().map(codec::toWireJson).toList();
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
            return new Result(BenchEnvironment.median(rawRates), BenchEnvironment.median(genRates), avgEvent,
                    paced.eventsPerSec(), rate, rateSeconds);
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
