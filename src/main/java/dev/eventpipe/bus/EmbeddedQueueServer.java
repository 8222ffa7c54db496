package dev.eventpipe.bus;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.Limits;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.util.Left;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ, a real SQS-protocol server, running inside this JVM on 127.0.0.1. With a data folder
 * it keeps queues and messages in an H2 database there, so they survive its restart; without one
 * they live in memory.
 *
 * <p>It is put together here as ElasticMQ's own {@code ElasticMQServer} does it (actor system, SQL
 * store, queue manager, SQS REST server, restore), with one difference: the store gets each message
 * through {@link ConsistentQueueEvents}, which copies it first, so it never reads a message a queue
 * is changing at that moment.
 */
public final class EmbeddedQueueServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedQueueServer.class);

    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

    private static final String STORE_DISPATCHER = "eventpipe-message-store-dispatcher";

    private final int port;
    private final ActorSystem system;
    private final SQSRestServer rest;
    private final Option<ActorRef> queueEvents;

    private EmbeddedQueueServer(int port, ActorSystem system, SQSRestServer rest, Option<ActorRef> queueEvents) {
        this.port = port;
        this.system = system;
        this.rest = rest;
        this.queueEvents = queueEvents;
    }

    /**
     * Starts the server and returns once it accepts requests.
     *
     * @param dataDir where messages persist, or null to keep them in memory
     * @throws BusException when the port is taken or the server does not start
     */
    public static EmbeddedQueueServer start(int port, Path dataDir, String region) {
        if (isListening(port)) {
            throw new BusException("cannot start the embedded queue server: port " + port
                    + " on 127.0.0.1 is already in use ([aws] embedded_port)", false, null);
        }
        Map<String, Object> conf = new HashMap<>();
        conf.put("node-address.protocol", "http");
        conf.put("node-address.host", "127.0.0.1");
        conf.put("node-address.port", port);
        conf.put("node-address.context-path", "");
        conf.put("generate-node-address", false);
        conf.put("rest-sqs.enabled", true);
        conf.put("rest-sqs.bind-port", port);
        conf.put("rest-sqs.bind-hostname", "127.0.0.1");
        conf.put("rest-sqs.sqs-limits", "strict");
        // Pekko's default dispatcher keeps at least 8 threads; on a small machine they spend the CPU
        // handing work to each other. One per core (at least 2) serves the same requests with less:
        // on 2 cores, `run` at 1,000 events/s took 62 instead of 80 CPU-seconds of ElasticMQ in 87 s,
        // and its consumer caught up within a minute instead of not at all.
        conf.put("pekko.actor.default-dispatcher.fork-join-executor.parallelism-min", 2);
        // The SQL store writes to H2 as it receives (blocking): on a thread of its own, not the dispatcher's.
        conf.put(STORE_DISPATCHER + ".type", "PinnedDispatcher");
        conf.put(STORE_DISPATCHER + ".executor", "thread-pool-executor");
        conf.put("aws.region", region);
        conf.put("aws.accountId", "000000000000");
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new BusException("cannot create the embedded queue's data folder '" + dataDir + "': " + e.getMessage(), false, e);
            }
            conf.put("messages-storage.enabled", true);
            conf.put("messages-storage.uri", "jdbc:h2:" + dataDir.toAbsolutePath().resolve("elasticmq").toString().replace('\\', '/'));
            conf.put("messages-storage.prune-data-on-init", false);
        } else {
            conf.put("messages-storage.enabled", false);
        }
        // ElasticMQ's actor system asks for DEBUG events unless told otherwise; we log its warnings only.
        System.setProperty("pekko.loglevel", "WARNING");
        System.setProperty("pekko.stdout-loglevel", "WARNING");
        ConfigFactory.invalidateCaches();
        Config config = ConfigFactory.parseMap(conf).withFallback(ConfigFactory.load(EmbeddedQueueServer.class.getClassLoader()));
        long[] persisted = dataDir == null ? new long[2] : persisted(dataDir);
        ElasticMQServerConfig emq = new ElasticMQServerConfig(config);
        ActorSystem system = ActorSystem.create("elasticmq", config);
        try {
            Option<ActorRef> queueEvents = Option.empty();
            if (emq.sqlQueuePersistenceConfig().enabled()) {
                ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                        emq.sqlQueuePersistenceConfig(), emq.baseQueues()).withDispatcher(STORE_DISPATCHER), "message-store");
                queueEvents = Option.apply(system.actorOf(ConsistentQueueEvents.props(store), "queue-events"));
            }
            Limits limits = (Limits) emq.restSqs().sqsLimits();
            ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), limits, queueEvents), "queues");
            SQSRestServer rest = new TheSQSRestServerBuilder(Option.apply(system), Option.apply(queues),
                    emq.restSqs().bindHostname(), emq.restSqs().bindPort(), emq.nodeAddress(), emq.generateNodeAddress(),
                    limits, emq.awsRegion(), emq.awsAccountId(), queueEvents, emq.autoCreateQueues()).start();
            rest.waitUntilStarted();
            EmbeddedQueueServer server = new EmbeddedQueueServer(port, system, rest, queueEvents);
            if (queueEvents.isDefined()) {
                server.restore(queues);
            }
            if (persisted[0] > 0) {
                awaitRestore(port, region, persisted[0], persisted[1]);
            }
            log.info("Embedded queue server (ElasticMQ) listening on 'http://127.0.0.1:{}', messages {}", port,
                    dataDir == null ? "in memory" : "kept in '" + dataDir + "'");
            return server;
        } catch (RuntimeException e) {
            system.terminate();
            throw new BusException("the embedded queue server did not start on port " + port + ": " + e.getMessage(), false, e);
        }
    }

    /** Has the store create the queues it holds and put their messages back, as ElasticMQ's server does at start. */
    private void restore(ActorRef queues) {
        Object reply;
        try {
            reply = Patterns.ask(queueEvents.get(), new QueueEvent.Restore(queues), RESTORE_TIMEOUT)
                    .toCompletableFuture().get(RESTORE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring the stored queues", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the stored queues were not restored: " + e.getMessage(), e);
        }
        if (reply instanceof Left<?, ?> errors) {
            throw new IllegalStateException("the stored queues could not be restored: " + errors.value());
        }
    }

    /** Where this server's queues report each change of a message; empty when messages are kept in memory. For tests. */
    Optional<ActorRef> queueEvents() {
        return queueEvents.isDefined() ? Optional.of(queueEvents.get()) : Optional.empty();
    }

    /**
     * Queues and messages kept in the data folder: ElasticMQ restores them after it starts taking
     * requests, so until then a consumer would find no queue. Read from its H2 file: one row per
     * queue in table QUEUE, one row per message in every other table.
     */
    private static long[] persisted(Path dataDir) {
        Path base = dataDir.toAbsolutePath().resolve("elasticmq");
        if (!Files.exists(dataDir.resolve("elasticmq.mv.db"))) {
            return new long[2];
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + base.toString().replace('\\', '/'), "", "");
             Statement st = c.createStatement()) {
            long queues = 0;
            long messages = 0;
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select table_name from information_schema.tables where table_schema = 'PUBLIC'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("select count(*) from \"" + t.replace("\"", "\"\"") + "\"")) {
                    rs.next();
                    if (t.equalsIgnoreCase("QUEUE")) {
                        queues += rs.getLong(1);
                    } else {
                        messages += rs.getLong(1);
                    }
                }
            }
            return new long[] {queues, messages};
        } catch (SQLException e) {
            log.warn("Could not read the embedded queue's data in '{}': {}", dataDir, e.getMessage());
            return new long[2];
        }
    }

    /** Waits until the server lists {@code queues} queues holding {@code messages} messages in all. */
    private static void awaitRestore(int port, String region, long queues, long messages) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (SqsClient sqs = SqsClient.builder()
                .region(Region.of(region))
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("eventpipe", "eventpipe")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            while (System.nanoTime() < deadline) {
                List<String> urls = sqs.listQueues().queueUrls();
                long held = 0;
                for (String url : urls) {
                    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
                    for (String v : a.values()) {
                        held += Long.parseLong(v);
                    }
                }
                if (urls.size() >= queues && held >= messages) {
                    log.info("Embedded queue server restored {} queues and {} messages", urls.size(), held);
                    return;
                }
                Thread.sleep(100);
            }
            log.warn("The embedded queue server has not restored all {} queues and {} messages after 60 s", queues, messages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Could not check that the embedded queue server restored its queues: {}", e.getMessage());
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A TCP port on 127.0.0.1 that is free now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public void close() {
        try {
            rest.stopAndWait();
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("The embedded queue server's actors did not stop within 30 s: {}", e.getMessage());
            }
        }
        log.info("Embedded queue server on port {} stopped", port);
    }
}
