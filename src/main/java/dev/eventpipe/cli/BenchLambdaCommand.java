package dev.eventpipe.cli;

import dev.eventpipe.bench.BenchEnvironment;
import dev.eventpipe.bus.QueueMessage;
import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.ingest.BatchIngest;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.LocalObjectStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code eventpipe bench lambda}: the Lambda handler's events/s per invocation size, and its cold start
 * (init plus one 10-message invocation) in fresh JVMs of the Lambda artifact with Lambda's JIT flags.
 */
@Command(name = "lambda", mixinStandardHelpOptions = true,
        description = {"The Lambda handler's throughput per invocation of 10, 100, 1,000 and",
                "10,000 messages (warm, in this JVM, files to a local folder, dead letters to",
                "an ElasticMQ started for the run), and its cold start: a fresh JVM of",
                "target/eventpipe-lambda.jar with -XX:TieredStopAtLevel=1, init plus one",
                "10-message invocation (median of --cold-runs). Takes about 15 seconds."})
final class BenchLambdaCommand implements Callable<Integer> {

    private static final Pattern COLD = Pattern.compile("jvm_ms=(\\d+) init_ms=(\\d+) invoke_ms=(\\d+) total_ms=(\\d+)");

    @ParentCommand
    private BenchCommand bench;

    @Mixin
    private GlobalOptions globals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--cold-runs", paramLabel = "N", description = "Fresh JVMs for the cold start (default: ${DEFAULT-VALUE}).")
    private int coldRuns = 5;

    @Option(names = "--rounds", paramLabel = "N", description = "Invocations per size after a warm-up (default: ${DEFAULT-VALUE}).")
    private int rounds = 5;

    @Option(names = "--s3-put-ms", paramLabel = "MS", description = "An S3 PUT's latency from Lambda, for the cost model "
            + "(not measurable here; default: ${DEFAULT-VALUE}).")
    private int s3PutMs = 30;

    @Override
    public Integer call() throws Exception {
        if (coldRuns < 1 || rounds < 1 || s3PutMs < 0) {
            throw CommandException.usage("--cold-runs and --rounds must be 1 or more, --s3-put-ms 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path jar = Path.of(System.getProperty("eventpipe.home", "."), "target", "eventpipe-lambda.jar");
        if (!Files.exists(jar)) {
            throw CommandException.failure("no Lambda artifact at " + jar + ": build it with ./mvnw package");
        }
        out.printf("bench lambda: artifact %s (%.1f MB)%n", jar, Files.size(jar) / 1e6);
        List<double[]> sizes = new ArrayList<>();
        double[] cold;
        try (BenchEnvironment env = BenchEnvironment.start(bench.root.env(), null)) {
            env.createQueues("bench-lambda");
            Settings s = env.settings("bench-lambda");
            Path dir = Files.createTempDirectory("eventpipe-bench-lambda");
            List<String> bodies = Generator.sampleBodies(10_000, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 2000,
                    0.4, 0.6, 1L, System.nanoTime(), 32_768), Clock.systemUTC());
            try (SqsEventBus bus = new SqsEventBus(SqsClients.create(s.aws(), 4), s.aws())) {
                BatchIngest ingest = new BatchIngest(bus, new LocalObjectStore(dir.resolve("dfs")), new EventCodec(32_768),
                        Duration.ofSeconds(120), 1, Clock.systemUTC(), RetryPolicy.standard().withAttempts(3));
                ingest.ingest(messages(bodies.subList(0, 2_000)));
                for (int n : new int[] {10, 100, 1_000, 10_000}) {
                    double[] rates = new double[rounds];
                    double[] millis = new double[rounds];
                    for (int i = 0; i < rounds; i++) {
                        List<QueueMessage> batch = messages(bodies.subList(0, n));
                        long t0 = System.nanoTime();
                        ingest.ingest(batch);
                        double sec = (System.nanoTime() - t0) / 1e9;
                        rates[i] = n / sec;
                        millis[i] = sec * 1000;
                    }
                    sizes.add(new double[] {n, BenchEnvironment.median(rates), BenchEnvironment.median(millis)});
                    out.printf("  %,6d messages per invocation: %,.0f events/s (%.0f ms an invocation)%n", n,
                            BenchEnvironment.median(rates), BenchEnvironment.median(millis));
                    out.flush();
                }
            }
            Path eventFile = dir.resolve("cold-event.ndjson");
            Files.write(eventFile, bodies.subList(0, 10));
            double[][] runs = new double[coldRuns][];
            for (int i = 0; i < coldRuns; i++) {
                runs[i] = coldStart(jar, eventFile, env.url(), dir.resolve("cold-" + i));
                out.printf("  cold start %d: JVM %,.0f ms + init %,.0f ms + one 10-message invocation %,.0f ms = %,.0f ms%n",
                        i + 1, runs[i][0], runs[i][1], runs[i][2], runs[i][3]);
                out.flush();
            }
            cold = new double[4];
            for (int k = 0; k < 4; k++) {
                int col = k;
                cold[k] = BenchEnvironment.median(Arrays.stream(runs).mapToDouble(r -> r[col]).toArray());
            }
        }
        out.println();
        FigureTable.header(out);
        for (double[] r : sizes) {
            FigureTable.figure(out, String.format("handler, %,.0f messages an invocation (events/s)", r[0]), r[1]);
        }
        FigureTable.figure(out, "cold start: JVM start to handler ready (ms)", cold[0] + cold[1]);
        FigureTable.checked(out, "cold start: init + one 10-message invocation (ms)", String.format("%,.0f", cold[3]), "<= 1,500",
                cold[3] <= 1_500, "ABOVE");
        out.println();
        // The same ingest code runs in both consumers: its CPU time per event on the largest invocation stands for both.
        double cpuPerEvent = sizes.get(sizes.size() - 1)[2] / 1000 / sizes.get(sizes.size() - 1)[0];
        Settings settings = bench.root.settings();
        new ConsumerCostModel(ConsumerCostModel.Prices.usEast1(), cpuPerEvent,
                new ConsumerCostModel.Hosted(settings.consumer().batchMaxEvents(), settings.consumer().batchMaxAgeSeconds(), 2, 2),
                ConsumerCostModel.Lambda.asDeployed(s3PutMs / 1000.0))
                // 5,000 prototype events are about 4 MB, under the 6 MB an invocation's payload may hold.
                .print(out, List.of(10.0, 100.0, 1_000.0, 10_000.0), new ConsumerCostModel.Lambda(5_000, 10, 1024, 10, s3PutMs / 1000.0));
        out.flush();
        return EventPipe.EXIT_OK;
    }

    private static List<QueueMessage> messages(List<String> bodies) {
        List<QueueMessage> out = new ArrayList<>(bodies.size());
        Instant now = Instant.now();
        for (String b : bodies) {
            out.add(new QueueMessage(UUID.randomUUID().toString(), b, "bench", 1, now, java.util.Map.of()));
        }
        return out;
    }

    /** One fresh JVM of the artifact: JVM start, init, invocation and their total, in ms. */
    private static double[] coldStart(Path jar, Path eventFile, String endpoint, Path dfs) throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", jar.toString(), "dev.eventpipe.lambda.ColdStart", eventFile.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
        pb.environment().put("EVENTPIPE_AWS_ENDPOINT", endpoint);
        pb.environment().put("EVENTPIPE_AWS_SQS_NAME", "bench-lambda");
        pb.environment().put("EVENTPIPE_DFS_PATH", dfs.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw CommandException.failure("the cold start failed: " + output);
        }
        Matcher m = COLD.matcher(output);
        if (!m.find()) {
            throw CommandException.failure("the cold start printed no timing: " + output);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4))};
    }
}
