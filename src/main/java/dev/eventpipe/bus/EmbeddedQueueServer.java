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
import java.util.HashMap;
import java.util.Map;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function0;

/**
 * ElasticMQ, a real SQS-protocol server, running inside this JVM on 127.0.0.1. With a data folder
 * it keeps queues and messages in an H2 database there, so they survive its restart; without one
 * they live in memory.
 */
public final class EmbeddedQueueServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedQueueServer.class);

    private final int port;
    private final Function0<?> shutdown;

    private EmbeddedQueueServer(int port, Function0<?> shutdown) {
        this.port = port;
        this.shutdown = shutdown;
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
        try {
            Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
            log.info("Embedded queue server (ElasticMQ) listening on 'http://127.0.0.1:{}', messages {}", port,
                    dataDir == null ? "in memory" : "kept in '" + dataDir + "'");
            return new EmbeddedQueueServer(port, shutdown);
        } catch (RuntimeException e) {
            throw new BusException("the embedded queue server did not start on port " + port + ": " + e.getMessage(), false, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
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
        shutdown.apply();
        log.info("Embedded queue server on port {} stopped", port);
    }
}
