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
import java.util.ArrayList;
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
            double avgEvent = Generator.sample(2000, options(0, null), Clock.systemUTC()).stream()
                    .mapToInt(e -> new EventCodec(32768).toWireJson(e).length()).average().orElse(0);
            try (SqsClient sqs = SqsClients.create(base.aws(), threads + 2)) {
                // Warm up both paths so the JIT is not measured.
                raw(sqs, "bench-warmup-raw", Duration.ofSeconds(3), bodyBytes);
                generate(url, "bench-warmup-gen", options(0, Duration.ofSeconds(3)));
                double[] rawRates = new double[rounds];
                double[] genRates = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    rawRates[i] = raw(sqs, "bench-raw-" + i, Duration.ofSeconds(seconds), bodyBytes);
                    genRates[i] = generate(url, "bench-gen-" + i, options(0, Duration.ofSeconds(seconds))).eventsPerSec();
                    out.printf("  round %d: raw SendMessageBatch %,.0f msg/s, generate --rate 0 %,.0f events/s%n",
                            i + 1, rawRates[i], genRates[i]);
                    out.flush();
                }
                double rawMedian = median(rawRates);
                double genMedian = median(genRates);
                GeneratorSummary paced = generate(url, "bench-rate", options(rate, Duration.ofSeconds(rateSeconds)));
                double deviation = (paced.eventsPerSec() - rate) / rate;
                double ratio = genMedian / rawMedian;
                out.println();
                out.printf("%-58s %14s %14s%n", "figure", "value", "target");
                out.printf("%-58s %,14.0f %14s%n", "raw SendMessageBatch, " + bodyBytes + "-byte bodies (msg/s, median)", rawMedian, "");
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

    private double raw(SqsClient sqs, String queue, Duration time, int bodyBytes) throws Exception {
        Settings s = settings(sqs.serviceClientConfiguration().endpointOverride().orElseThrow().toString(), queue);
        try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 2), s.aws())) {
            bus.ensureQueues();
        }
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        try {
            return RawSqs.send(sqs, queueUrl, threads, time, bodyBytes);
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
