package dev.eventpipe.cli;

import dev.eventpipe.bench.QueueServerProcess;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
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
 * {@code eventpipe bench generate}: the simulator against a raw SendMessageBatch loop on one
 * ElasticMQ, and the accuracy of a fixed rate.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Simulator throughput (generate --rate 0) divided by a raw SendMessageBatch loop with the same",
                "threads and 800-byte bodies, on one ElasticMQ started for the run; then the achieved rate of --rate N."})
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
    private int seconds = 15;

    @Option(names = "--rounds", paramLabel = "N", description = "Alternating raw/generate rounds; the medians are compared (default: ${DEFAULT-VALUE}).")
    private int rounds = 3;

    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Warm-up of server and client before measuring (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = 30;

    @Option(names = "--rate", paramLabel = "N", description = "Rate to check for accuracy (default: ${DEFAULT-VALUE}).")
    private long rate = 1000;

    @Option(names = "--rate-seconds", paramLabel = "S", description = "Length of the rate check (default: ${DEFAULT-VALUE}).")
    private int rateSeconds = 30;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Use this SQS-compatible server instead of starting ElasticMQ.")
    private String endpoint;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || seconds < 1 || rounds < 1 || rate < 1 || rateSeconds < 1) {
            throw CommandException.usage("--threads, --seconds, --rounds, --rate and --rate-seconds must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path log = Files.createTempFile("eventpipe-bench-queue", ".log");
        QueueServerProcess server = endpoint == null ? QueueServerProcess.start(log) : null;
        String url = endpoint != null ? endpoint : server.endpoint().toString();
        try {
            out.printf("bench generate: server %s (%s), %d client threads, %d s phases, %d rounds, %d cores%n", url,
                    server == null ? "given" : "ElasticMQ in a child JVM, in memory", threads, seconds, rounds,
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            Settings base = settings(url, "bench-warmup");
            int bodyBytes = 800;
            EventCodec codec = new EventCodec(32768);
            List<String> sample = Generator.sample(2000, options(0, null), Clock.systemUTC()).stream()
                    .map(codec::toWireJson).toList();
            double avgEvent = sample.stream().mapToInt(String::length).average().orElse(0);
            List<String> rawDistinct = RawSqs.bodies(sample, bodyBytes, 2000);
            try (SqsClient sqs = SqsClients.create(base.aws(), threads + 2)) {
                // ElasticMQ's throughput climbs for tens of seconds while its JIT compiles: warm both paths first.
                out.printf("  warming up for %d s...%n", warmupSeconds);
                out.flush();
                raw(sqs, "bench-warmup-raw", Duration.ofSeconds(Math.max(1, warmupSeconds / 2)), rawDistinct);
                generate(url, "bench-warmup-gen", options(0, Duration.ofSeconds(Math.max(1, warmupSeconds / 2))));
                double[] rawRates = new double[rounds];
                double[] genRates = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    CpuMeter cpu = new CpuMeter(server);
                    rawRates[i] = raw(sqs, "bench-raw-" + i, Duration.ofSeconds(seconds), rawDistinct);
                    String rawCpu = cpu.perItem(Math.round(rawRates[i] * seconds));
                    cpu = new CpuMeter(server);
                    genRates[i] = generate(url, "bench-gen-" + i, options(0, Duration.ofSeconds(seconds))).eventsPerSec();
                    String genCpu = cpu.perItem(Math.round(genRates[i] * seconds));
                    out.printf("  round %d: raw SendMessageBatch %,.0f msg/s (%s), generate --rate 0 %,.0f events/s (%s)%n",
                            i + 1, rawRates[i], rawCpu, genRates[i], genCpu);
                    out.flush();
                }
                double rawMedian = median(rawRates);
                double genMedian = median(genRates);
                GeneratorSummary paced = generate(url, "bench-rate", options(rate, Duration.ofSeconds(rateSeconds)));
                double deviation = (paced.eventsPerSec() - rate) / rate;
                double ratio = genMedian / rawMedian;
                out.println();
                out.printf("%-58s %14s %14s%n", "figure", "value", "target");
                out.printf("%-58s %,14.0f %14s%n", "raw SendMessageBatch, prebuilt " + bodyBytes + "-byte events (msg/s, median)", rawMedian, "");
                out.printf("%-58s %,14.0f %14s%n", String.format("generate --rate 0, %.0f-byte events (events/s, median)", avgEvent), genMedian, "");
                out.printf("%-58s %14.2f %14s  %s%n", "generate / raw", ratio, ">= 0.85", ratio >= 0.85 ? "ok" : "BELOW");
                out.printf("%-58s %,14.1f %14s%n", "generate --rate " + rate + " for " + rateSeconds + " s (events/s)", paced.eventsPerSec(), "");
                out.printf("%-58s %+13.2f%% %14s  %s%n", "deviation from " + rate, deviation * 100, "within 2%",
                        Math.abs(deviation) <= 0.02 ? "ok" : "OUTSIDE");
                out.flush();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        return EventPipe.EXIT_OK;
    }

    /** CPU time of this JVM and of the server process between construction and {@link #perItem}. */
    private static final class CpuMeter {
        private final QueueServerProcess server;
        private final long client0;
        private final long server0;

        CpuMeter(QueueServerProcess server) {
            this.server = server;
            this.client0 = clientCpu();
            this.server0 = server == null ? 0 : server.cpuNanos();
        }

        String perItem(long items) {
            double c = (clientCpu() - client0) / 1e3 / Math.max(1, items);
            double s = server == null ? Double.NaN : (server.cpuNanos() - server0) / 1e3 / Math.max(1, items);
            return String.format("cpu/msg: client %.0f us, server %.0f us", c, s);
        }

        private static long clientCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    private GeneratorOptions options(long r, Duration d) {
        return new GeneratorOptions(r, -1, d, threads, 1, FaultRates.NONE, 2000, 0.4, 0.6, 1L, System.nanoTime(), 32768);
    }

    private Settings settings(String url, String queue) {
        Map<String, String> env = new HashMap<>(bench.root.env());
        env.put("EVENTPIPE_AWS_ENDPOINT", url);
        env.put("EVENTPIPE_AWS_SQS_NAME", queue);
        env.remove("EVENTPIPE_AWS_SQS_DEAD_LETTER_NAME");
        return Settings.load(Path.of("bench-has-no-settings.ini"), false, env);
    }

    private double raw(SqsClient sqs, String queue, Duration time, List<String> bodies) throws Exception {
        Settings s = settings(sqs.serviceClientConfiguration().endpointOverride().orElseThrow().toString(), queue);
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 2), s.aws())) {
            bus.ensureQueues();
        }
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        try {
            return RawSqs.send(sqs, queueUrl, threads, time, bodies);
        } finally {
            deleteQueues(sqs, queue);
        }
    }

    private GeneratorSummary generate(String url, String queue, GeneratorOptions options) {
        Settings s = settings(url, queue);
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), options.threads() + 2), s.aws())) {
            bus.ensureQueues();
            try {
                return new Generator(bus, new EventCodec(32768), options, Clock.systemUTC()).run();
            } finally {
                try (SqsClient sqs = SqsClients.create(s.aws(), 2)) {
                    deleteQueues(sqs, queue);
                }
            }
        }
    }

    private static void deleteQueues(SqsClient sqs, String queue) {
        for (String name : List.of(queue, queue + "-dlq")) {
            String u = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            sqs.deleteQueue(b -> b.queueUrl(u));
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
