package dev.eventpipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.S3Proxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The slim artifacts the build makes, run as users run them: the Lambda jar alone in a fresh JVM (what
 * Lambda loads), and the consumer jar as a consumer host's whole program.
 */
class ArtifactsIT {

    private static final Path LAMBDA = Path.of("target/eventpipe-lambda.jar");
    private static final Path CONSUMER = Path.of("target/eventpipe-consumer.jar");

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @RegisterExtension
    static S3Proxy s3 = new S3Proxy();

    @TempDir
    Path dir;

    @Test
    void theLambdaArtifactIsUnderTwentyMegabytesAndHoldsOnlyWhatTheHandlerNeeds() throws IOException {
        assertThat(Files.size(LAMBDA)).isLessThanOrEqualTo(20_000_000L);
        List<String> names = entries(LAMBDA);
        assertThat(names).contains("dev/eventpipe/lambda/SqsBatchHandler.class", "dev/eventpipe/ingest/BatchIngest.class");
        assertThat(names).noneMatch(n -> n.startsWith("org/duckdb/") || n.startsWith("org/elasticmq/")
                || n.startsWith("org/apache/hc/client5/") || n.startsWith("org/knowm/") || n.startsWith("org/apache/pdfbox/")
                || n.startsWith("dev/eventpipe/cli/") || n.startsWith("dev/eventpipe/warehouse/") || n.startsWith("org/eclipse/jetty/"));
    }

    @Test
    void theLambdaArtifactAloneRunsTheHandlerToS3AndTheDeadLetterQueue() throws Exception {
        Map<String, String> env = new HashMap<>(queue.env());
        env.putAll(s3.env("artifact-lambda"));
        Settings settings = Settings.load(Path.of("none.ini"), false, env);
        new S3ObjectStore(S3Clients.create(settings.aws(), 2), "artifact-lambda", settings.dfs().prefix()).ensureReady();
        queue.bus(env).close(); // creates the queues
        EventCodec codec = new EventCodec(32_768);
        List<String> bodies = new ArrayList<>(Generator.sample(9, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 300, 0.4, 0.6,
                1L, 3L, 32_768), Clock.systemUTC()).stream().map(codec::toWireJson).toList());
        bodies.add("{\"event\":\"no id\"}");
        Path eventFile = Files.write(dir.resolve("event.ndjson"), bodies);

        Result r = java(env, "-XX:TieredStopAtLevel=1", "-cp", LAMBDA.toString(), "dev.eventpipe.lambda.ColdStart", eventFile.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("failures=0");
        try (S3Client client = S3Clients.create(settings.aws(), 2)) {
            assertThat(client.listObjectsV2(b -> b.bucket("artifact-lambda")).contents())
                    .anyMatch(o -> o.key().contains("incoming/events/dt=") && o.key().endsWith(".ndjson.gz"));
        }
        try (SqsEventBus bus = queue.bus(env)) {
            assertThat(bus.peekDeadLetters(10, java.time.Duration.ofSeconds(60))).hasSize(1);
        }
    }

    @Test
    void theConsumerArtifactConsumesWithoutDuckDbOrAnEmbeddedQueueAndSaysWhatItCannotDo() throws Exception {
        assertThat(Files.size(CONSUMER)).isLessThanOrEqualTo(25_000_000L);
        assertThat(entries(CONSUMER)).noneMatch(n -> n.startsWith("org/duckdb/") || n.startsWith("org/elasticmq/"))
                .contains("dev/eventpipe/cli/EventPipe.class");
        Map<String, String> env = new HashMap<>(queue.env());
        env.put("EVENTPIPE_DFS_PATH", dir.resolve("dfs").toString());
        EventCodec codec = new EventCodec(32_768);
        try (SqsEventBus bus = queue.bus(env)) {
            List<String> bodies = Generator.sample(20, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 300, 0.4, 0.6, 1L, 5L,
                    32_768), Clock.systemUTC()).stream().map(codec::toWireJson).toList();
            assertThat(bus.send(bodies.subList(0, 10)).failed()).isEmpty();
            assertThat(bus.send(bodies.subList(10, 20)).failed()).isEmpty();
        }
        Path settings = Files.writeString(dir.resolve("settings.ini"), "");

        Result consume = java(env, "-jar", CONSUMER.toString(), "--config", settings.toString(), "consume", "--until-empty");
        assertThat(consume.exit()).as(consume.output()).isZero();
        try (Stream<Path> files = Files.walk(dir.resolve("dfs/incoming"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".ndjson.gz")).count()).isPositive();
        }

        Result load = java(env, "-jar", CONSUMER.toString(), "--config", settings.toString(), "load");
        assertThat(load.exit()).as(load.output()).isEqualTo(1);
        assertThat(load.output()).contains("eventpipe-consumer.jar holds consume");
    }

    private record Result(int exit, String output) {
    }

    private Result java(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "java-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EVENTPIPE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("did not exit within 120 s: " + cmd + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static List<String> entries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }
}
