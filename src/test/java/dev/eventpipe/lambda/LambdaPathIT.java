package dev.eventpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.bus.SqsEventBus;
import dev.eventpipe.config.Settings;
import dev.eventpipe.event.Event;
import dev.eventpipe.event.EventCodec;
import dev.eventpipe.generate.FaultRates;
import dev.eventpipe.generate.Generator;
import dev.eventpipe.generate.GeneratorOptions;
import dev.eventpipe.ingest.BatchIngest;
import dev.eventpipe.retry.RetryPolicy;
import dev.eventpipe.store.ObjectStore;
import dev.eventpipe.store.S3Clients;
import dev.eventpipe.store.S3ObjectStore;
import dev.eventpipe.testkit.ElasticMq;
import dev.eventpipe.testkit.EventSourceMappingEmulator;
import dev.eventpipe.testkit.S3Proxy;
import dev.eventpipe.warehouse.JdbcWarehouse;
import dev.eventpipe.warehouse.dialect.DuckDbDialect;
import dev.eventpipe.warehouse.LoadSummary;
import dev.eventpipe.warehouse.Loader;
import dev.eventpipe.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The serverless path on real servers: events on ElasticMQ, the handler invoked by an emulation of
 * Lambda's event source mapping (not Lambda), files on S3Proxy, then a load into DuckDB.
 */
class LambdaPathIT {

    @RegisterExtension
    static ElasticMq queue = new ElasticMq();

    @RegisterExtension
    static S3Proxy s3 = new S3Proxy();

    @TempDir
    Path dir;

    @Test
    void everyValidEventLandsOnceAndARetriedInvocationAddsNothing() throws Exception {
        Map<String, String> env = new HashMap<>(queue.env());
        env.putAll(s3.env("lambda-path"));
        env.put("EVENTPIPE_DFS_TYPE", "s3");
        Settings settings = Settings.load(Path.of("none.ini"), false, env);
        ObjectStore store = new S3ObjectStore(S3Clients.create(settings.aws(), 8), settings.aws().s3Bucket(), settings.dfs().prefix());
        store.ensureReady();
        BatchIngest ingest = SqsBatchHandler.build(settings, Clock.systemUTC());
        SqsBatchHandler handler = new SqsBatchHandler(ingest);

        EventCodec codec = new EventCodec(32_768);
        List<Event> events = Generator.sample(1_000, new GeneratorOptions(0, -1, null, 1, 1, FaultRates.NONE, 300, 0.4, 0.6, 1L, 7L,
                32_768), Clock.systemUTC());
        List<String> bodies = new ArrayList<>(events.stream().map(codec::toWireJson).toList());
        bodies.add("{\"event\":\"no id\"}");
        bodies.add("[" + codec.toWireJson(events.get(0)) + ", 7]");
        try (SqsEventBus bus = queue.bus(env); SqsClient sqs = queue.client()) {
            for (int from = 0; from < bodies.size(); from += 10) {
                assertThat(bus.send(bodies.subList(from, Math.min(bodies.size(), from + 10))).failed()).isEmpty();
            }
            String url = sqs.getQueueUrl(b -> b.queueName(env.get("EVENTPIPE_AWS_SQS_NAME"))).queueUrl();
            EventSourceMappingEmulator esm = new EventSourceMappingEmulator(sqs, url, 100, Duration.ofSeconds(1), 30);
            List<Message> first = null;
            Set<String> failed = new HashSet<>();
            List<Message> batch;
            while (!(batch = esm.receive()).isEmpty()) {
                if (first == null) {
                    first = batch;
                }
                failed.addAll(esm.invoke(handler, batch));
            }
            assertThat(failed).isEmpty();
            // Lambda delivers the first batch again (a timeout after the writes, say): nothing is added.
            handler.handleRequest(EventSourceMappingEmulator.event(first, "arn:aws:sqs:us-east-1:000000000000:emulated"), null);
            // One invalid message and one invalid element, each counted once however often its batch came.
            assertThat(dev.eventpipe.bus.DeadLetterView.read(bus, 100).distinct()).isEqualTo(2);
        }
        Path file = dir.resolve("w.duckdb");
        Warehouse warehouse = new JdbcWarehouse(new DuckDbDialect(file), () -> java.sql.DriverManager.getConnection("jdbc:duckdb:" + file),
                "duckdb " + file);
        warehouse.ensureSchema();
        LoadSummary s = new Loader(warehouse, store, 500, Clock.systemUTC()).run(n -> { }, n -> { });
        assertThat(s.rows()).isGreaterThanOrEqualTo(1_001);
        assertThat(warehouse.query("SELECT count(*), count(DISTINCT id) FROM events", List.of(),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)})).singleElement()
                .satisfies(c -> assertThat(c).containsExactly(1_000L, 1_000L));
    }
}
